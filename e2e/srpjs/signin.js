#!/usr/bin/env node
// Signs in to a Cognito user pool with amazon-cognito-identity-js, whose
// CognitoUser.authenticateUser uses USER_SRP_AUTH by default (InitiateAuth
// with SRP_A, then RespondToAuthChallenge for PASSWORD_VERIFIER).
//
//   node signin.js <endpoint> <userPoolId> <clientId> <username> <password>
//
// It prints exactly one JSON line and exits 0:
//   {"ok":true,"idToken":...,"accessToken":...,"refreshToken":...}
//   {"ok":false,"code":...,"message":...}
// It exits 2 on a usage error only. e2e/srpjs_test.go drives it.
'use strict';

const { endpoint, userPoolId, clientId, username, password, finish, failure, MemoryStorage, lib } = require('./harness').start('signin.js', false);
const { CognitoUserPool, CognitoUser, AuthenticationDetails } = lib;

try {
  const storage = new MemoryStorage();
  // `endpoint` is the library's option for a custom service URL; it
  // POSTs every request there, unsigned, as AWS JSON 1.1.
  const pool = new CognitoUserPool({ UserPoolId: userPoolId, ClientId: clientId, endpoint, Storage: storage });
  const user = new CognitoUser({ Username: username, Pool: pool, Storage: storage });
  const details = new AuthenticationDetails({ Username: username, Password: password });
  const challenge = (name) => () => finish({ ok: false, code: name, message: 'unexpected challenge ' + name });
  user.authenticateUser(details, {
    onSuccess(session) {
      finish({
        ok: true,
        idToken: session.getIdToken().getJwtToken(),
        accessToken: session.getAccessToken().getJwtToken(),
        refreshToken: session.getRefreshToken().getToken(),
      });
    },
    onFailure(err) {
      finish(failure(err));
    },
    newPasswordRequired: challenge('newPasswordRequired'),
    mfaRequired: challenge('mfaRequired'),
    totpRequired: challenge('totpRequired'),
    selectMFAType: challenge('selectMFAType'),
    mfaSetup: challenge('mfaSetup'),
    customChallenge: challenge('customChallenge'),
  });
} catch (err) {
  finish(failure(err));
}
