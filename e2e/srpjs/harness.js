// What signin.js, mfa.js and devices.js share: the five arguments, the
// one JSON line each prints (also when the library throws, never calls
// back, or hangs), a Storage that starts empty on every run, and the
// library itself.
'use strict';

// start parses `node <script> <endpoint> <userPoolId> <clientId>
// <username> <password>` (exit 2 on a usage error) and returns the
// arguments with finish (print one result and exit 0), failure (an error
// as a result), steps (recorded requests; added to the result when
// withSteps), MemoryStorage and the library.
function start(script, withSteps) {
  const args = process.argv.slice(2);
  if (args.length !== 5) {
    process.stderr.write('usage: node ' + script + ' <endpoint> <userPoolId> <clientId> <username> <password>\n');
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
    if (withSteps) {
      result.steps = steps;
    }
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

  let lib;
  try {
    lib = require('amazon-cognito-identity-js');
  } catch (err) {
    process.stderr.write(script + ': cannot load amazon-cognito-identity-js (run npm ci in e2e/srpjs): ' + err.message + '\n');
    process.exit(2);
  }
  return { endpoint, userPoolId, clientId, username, password, finish, failure, steps, MemoryStorage, lib };
}

// A Storage of our own: the default is window.localStorage or a
// module-level memory store; this one starts empty on every run.
class MemoryStorage {
  constructor() { this.items = {}; }
  setItem(k, v) { this.items[k] = String(v); return this.items[k]; }
  getItem(k) { return Object.prototype.hasOwnProperty.call(this.items, k) ? this.items[k] : null; }
  removeItem(k) { return delete this.items[k]; }
  clear() { this.items = {}; return this.items; }
}

module.exports = { start };
