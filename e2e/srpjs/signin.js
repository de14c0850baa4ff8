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

const args = process.argv.slice(2);
if (args.length !== 5) {
  process.stderr.write('usage: node signin.js <endpoint> <userPoolId> <clientId> <username> <password>\n');
  process.exit(2);
}
const [endpoint, userPoolId, clientId, username, password] = args;

let done = false;
function finish(result) {
  if (done) {
    return;
  }
  done = true;
  process.stdout.write(JSON.stringify(result) + '\n', () => process.exit(0));
}

function failure(err) {
  const out = { ok: false, code: 'Error', message: String(err) };
  if (err && typeof err === 'object') {
    out.code = err.code || err.name || 'Error';
    out.message = err.message === undefined ? null : err.message;
  }
  return out;
}

// The library reports a bug in its own callbacks (a throw) through
// onFailure or not at all; make every way out print one line.
process.on('uncaughtException', (err) => finish(failure(err)));
process.on('unhandledRejection', (err) => finish(failure(err)));
process.on('beforeExit', () => finish({ ok: false, code: 'NoResult', message: 'the library called no callback' }));
setTimeout(() => finish({ ok: false, code: 'Timeout', message: 'no result after 60s' }), 60000).unref();

// A Storage of our own: the default is window.localStorage or a
// module-level memory store; this one starts empty on every run.
class MemoryStorage {
  constructor() { this.items = {}; }
  setItem(k, v) { this.items[k] = String(v); return this.items[k]; }
  getItem(k) { return Object.prototype.hasOwnProperty.call(this.items, k) ? this.items[k] : null; }
  removeItem(k) { return delete this.items[k]; }
  clear() { this.items = {}; return this.items; }
}

let lib;
try {
  lib = require('amazon-cognito-identity-js');
} catch (err) {
  process.stderr.write('signin.js: cannot load amazon-cognito-identity-js (run npm ci in e2e/srpjs): ' + err.message + '\n');
  process.exit(2);
}
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
