#!/usr/bin/env node
// Sets up and uses TOTP MFA with amazon-cognito-identity-js against a pool
// whose MFA is ON with TOTP: authenticateUser (USER_SRP_AUTH) answers
// mfaSetup; associateSoftwareToken and verifySoftwareToken (with the
// challenge's session, then RespondToAuthChallenge MFA_SETUP) finish the
// sign-in; a second authenticateUser answers totpRequired, and
// sendMFACode(code, …, 'SOFTWARE_TOKEN_MFA') finishes it. The TOTP codes
// (RFC 6238, HMAC-SHA-1, 30 s, 6 digits) are computed here with node's
// crypto.
//
//   node mfa.js <endpoint> <userPoolId> <clientId> <username> <password>
//
// It prints exactly one JSON line and exits 0:
//   {"ok":true,"steps":[...],"accessToken":...}
//   {"ok":false,"steps":[...],"code":...,"message":...}
// e2e/mfa_test.go drives it.
'use strict';

const crypto = require('crypto');

const { endpoint, userPoolId, clientId, username, password, finish, failure, steps, MemoryStorage, lib } = require('./harness').start('mfa.js', true);

function base32Decode(s) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out = [];
  for (const ch of s.replace(/=+$/, '').toUpperCase()) {
    const i = alphabet.indexOf(ch);
    if (i < 0) {
      throw new Error('SecretCode is not base32: ' + s);
    }
    value = (value << 5) | i;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

function totp(secret, unixSeconds) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(unixSeconds / 30)));
  const h = crypto.createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const o = h[h.length - 1] & 15;
  const bin = h.readUInt32BE(o) & 0x7fffffff;
  return String(bin % 1000000).padStart(6, '0');
}

const { CognitoUserPool, CognitoUser, AuthenticationDetails } = lib;

function newUser() {
  const storage = new MemoryStorage();
  const pool = new CognitoUserPool({ UserPoolId: userPoolId, ClientId: clientId, endpoint, Storage: storage });
  return new CognitoUser({ Username: username, Pool: pool, Storage: storage });
}

const details = new AuthenticationDetails({ Username: username, Password: password });
const unexpected = (name) => () => finish({ ok: false, code: name, message: 'unexpected challenge ' + name });
const onFailure = (err) => finish(failure(err));

// Second sign-in: the TOTP challenge, answered with the next step's code
// (the first step's code was used by verifySoftwareToken).
function signInWithTOTP(secret) {
  const user = newUser();
  user.authenticateUser(details, {
    onSuccess() { finish({ ok: false, code: 'NoChallenge', message: 'tokens without MFA' }); },
    onFailure,
    totpRequired(name) {
      steps.push(name);
      user.sendMFACode(totp(secret, Date.now() / 1000 + 30), {
        onSuccess(session) {
          steps.push('tokens');
          finish({ ok: true, accessToken: session.getAccessToken().getJwtToken() });
        },
        onFailure,
      }, 'SOFTWARE_TOKEN_MFA');
    },
    newPasswordRequired: unexpected('newPasswordRequired'),
    mfaRequired: unexpected('mfaRequired'),
    selectMFAType: unexpected('selectMFAType'),
    mfaSetup: unexpected('mfaSetup'),
    customChallenge: unexpected('customChallenge'),
  });
}

try {
  const user = newUser();
  user.authenticateUser(details, {
    onSuccess() { finish({ ok: false, code: 'NoChallenge', message: 'tokens without MFA setup' }); },
    onFailure,
    mfaSetup(name, params) {
      steps.push(name + ' ' + params.MFAS_CAN_SETUP);
      user.associateSoftwareToken({
        associateSecretCode(secret) {
          steps.push('associated');
          user.verifySoftwareToken(totp(secret, Date.now() / 1000), 'phone', {
            onSuccess() {
              steps.push('verified');
              signInWithTOTP(secret);
            },
            onFailure,
          });
        },
        onFailure,
      });
    },
    newPasswordRequired: unexpected('newPasswordRequired'),
    mfaRequired: unexpected('mfaRequired'),
    totpRequired: unexpected('totpRequired'),
    selectMFAType: unexpected('selectMFAType'),
    customChallenge: unexpected('customChallenge'),
  });
} catch (err) {
  finish(failure(err));
}
