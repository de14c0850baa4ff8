#!/usr/bin/env node
// Remembers a device with amazon-cognito-identity-js and signs in with it,
// against a pool that tracks devices (DeviceOnlyRememberedOnUserPrompt):
//   1. authenticateUser (USER_SRP_AUTH) gets tokens with NewDeviceMetadata;
//      the library computes the device verifier and calls ConfirmDevice,
//      then onSuccess(session, userConfirmationNecessary);
//      setDeviceStatusRemembered remembers the device.
//   2. A second authenticateUser with the same storage sends the cached
//      DEVICE_KEY with the password claim; the server answers
//      DEVICE_SRP_AUTH, which the library answers itself
//      (DEVICE_PASSWORD_VERIFIER) and gets tokens.
//   3. forgetSpecificDevice forgets the device on the server but leaves
//      the cache; a third authenticateUser gets "Device does not exist.",
//      on which the library retries without the device and gets tokens
//      and a new device.
// Every request the library makes is recorded in steps (operation and
// challenge name).
//
//   node devices.js <endpoint> <userPoolId> <clientId> <username> <password>
//
// It prints exactly one JSON line and exits 0:
//   {"ok":true,"steps":[...],"deviceKey":...,"accessTokens":[...]}
//   {"ok":false,"steps":[...],"code":...,"message":...}
// e2e/devices_test.go drives it.
'use strict';

const args = process.argv.slice(2);
if (args.length !== 5) {
  process.stderr.write('usage: node devices.js <endpoint> <userPoolId> <clientId> <username> <password>\n');
  process.exit(2);
}
const [endpoint, userPoolId, clientId, username, password] = args;

const steps = [];
let done = false;
function finish(result) {
  if (done) {
    return;
  }
  done = true;
  result.steps = steps;
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

process.on('uncaughtException', (err) => finish(failure(err)));
process.on('unhandledRejection', (err) => finish(failure(err)));
process.on('beforeExit', () => finish({ ok: false, code: 'NoResult', message: 'the library called no callback' }));
setTimeout(() => finish({ ok: false, code: 'Timeout', message: 'no result after 60s' }), 60000).unref();

// One storage for all three sign-ins: the library caches the device key,
// group key and random password there, as a browser's localStorage would.
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
  process.stderr.write('devices.js: cannot load amazon-cognito-identity-js (run npm ci in e2e/srpjs): ' + err.message + '\n');
  process.exit(2);
}
const { CognitoUserPool, CognitoUser, AuthenticationDetails } = lib;

const storage = new MemoryStorage();
const pool = new CognitoUserPool({ UserPoolId: userPoolId, ClientId: clientId, endpoint, Storage: storage });
const request = pool.client.request.bind(pool.client);
pool.client.request = (operation, params, callback) => {
  steps.push(params && params.ChallengeName ? operation + ' ' + params.ChallengeName : operation);
  return request(operation, params, (err, data) => {
    if (err) {
      steps.push('error ' + (err.code || err.name) + ': ' + err.message);
    }
    callback(err, data);
  });
};

const details = new AuthenticationDetails({ Username: username, Password: password });
const unexpected = (name) => () => finish({ ok: false, code: name, message: 'unexpected challenge ' + name });
const onFailure = (err) => finish(failure(err));
const accessTokens = [];

function signIn(then) {
  const user = new CognitoUser({ Username: username, Pool: pool, Storage: storage });
  user.authenticateUser(details, {
    onSuccess(session, userConfirmationNecessary) {
      steps.push('tokens' + (userConfirmationNecessary ? ' userConfirmationNecessary' : ''));
      accessTokens.push(session.getAccessToken().getJwtToken());
      then(user, userConfirmationNecessary);
    },
    onFailure,
    newPasswordRequired: unexpected('newPasswordRequired'),
    mfaRequired: unexpected('mfaRequired'),
    totpRequired: unexpected('totpRequired'),
    selectMFAType: unexpected('selectMFAType'),
    mfaSetup: unexpected('mfaSetup'),
    customChallenge: unexpected('customChallenge'),
  });
}

try {
  signIn((first) => {
    first.setDeviceStatusRemembered({
      onSuccess() {
        const deviceKey = first.deviceKey;
        signIn((second) => {
          // Forget the device on the server only: the cache keeps it.
          second.forgetSpecificDevice(deviceKey, {
            onSuccess() {
              signIn((third) => finish({ ok: true, deviceKey, newDeviceKey: third.deviceKey, accessTokens }));
            },
            onFailure,
          });
        });
      },
      onFailure,
    });
  });
} catch (err) {
  finish(failure(err));
}
