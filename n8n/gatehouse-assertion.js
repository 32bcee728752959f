'use strict';
/**
 * Verifies Gatehouse's identity assertion: the header value `v1.<payload>.<mac>` that the gateway adds to every
 * request it forwards for a signed-in person (see README.md beside this file for the format).
 *
 * Pure and dependency-free on purpose: the hook (gatehouse-hook.js) uses it inside n8n, and the tests run it on its
 * own against the checked-in vector that the Java signer (io.gatehouse.sso.n8n.N8nIdentityAssertion) must produce.
 */
const crypto = require('node:crypto');

const MIN_SECRET_BYTES = 32;
const MAX_LIFETIME_SECONDS = 60;
const CLOCK_SKEW_SECONDS = 5;
// An HMAC-SHA256 is 32 bytes: 43 base64url characters without padding. The payload bound keeps a hostile header
// from costing more than one small HMAC; Gatehouse's assertions are a few hundred bytes.
const ASSERTION_SHAPE = /^v1\.([A-Za-z0-9_-]{1,4000})\.([A-Za-z0-9_-]{43})$/;
const MAX_EMAIL_LENGTH = 254;

/**
 * Why an assertion was refused. `reason` is a stable class name, safe to log: it never contains the header, the
 * secret or a claim's value.
 */
class AssertionRefused extends Error {
  constructor(reason) {
    super(`identity assertion refused: ${reason}`);
    this.name = 'AssertionRefused';
    this.reason = reason;
  }
}

/**
 * Returns `verify(value, nowMillis)`, which answers the assertion's claims `{sub, email, name, mfa, iat, exp}` or
 * throws AssertionRefused. The secret is the UTF-8 bytes of a string of at least 32 bytes.
 */
function createAssertionVerifier(secret) {
  if (typeof secret !== 'string' || Buffer.byteLength(secret, 'utf8') < MIN_SECRET_BYTES) {
    throw new Error(`the assertion secret must be at least ${MIN_SECRET_BYTES} bytes`);
  }
  const key = Buffer.from(secret, 'utf8');

  return function verify(value, nowMillis) {
    const shape = typeof value === 'string' ? ASSERTION_SHAPE.exec(value) : null;
    if (!shape) throw new AssertionRefused('malformed');
    const [, payload, mac] = shape;

    // Compared as the canonical base64url text, so a MAC spelled with other trailing bits cannot pass either.
    const expected = Buffer.from(crypto.createHmac('sha256', key).update(`v1.${payload}`, 'ascii').digest('base64url'),
      'ascii');
    const given = Buffer.from(mac, 'ascii');
    if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) {
      throw new AssertionRefused('bad_mac');
    }

    let claims;
    try {
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      throw new AssertionRefused('malformed');
    }
    if (claims === null || typeof claims !== 'object' || Array.isArray(claims)) throw new AssertionRefused('malformed');
    if (claims.iss !== 'gatehouse') throw new AssertionRefused('wrong_issuer');
    if (claims.aud !== 'n8n') throw new AssertionRefused('wrong_audience');

    const { iat, exp } = claims;
    if (!Number.isSafeInteger(iat) || !Number.isSafeInteger(exp)) throw new AssertionRefused('malformed');
    if (exp <= iat || exp - iat > MAX_LIFETIME_SECONDS) throw new AssertionRefused('lifetime_too_long');
    const now = nowMillis / 1000;
    if (exp <= now - CLOCK_SKEW_SECONDS) throw new AssertionRefused('expired');
    if (iat > now + CLOCK_SKEW_SECONDS) throw new AssertionRefused('not_yet_valid');

    const email = typeof claims.email === 'string' ? claims.email.trim() : '';
    if (email === '') throw new AssertionRefused('missing_email');
    if (email.length > MAX_EMAIL_LENGTH || !email.includes('@')) throw new AssertionRefused('invalid_email');
    if (typeof claims.sub !== 'string' || claims.sub === '') throw new AssertionRefused('missing_subject');
    if (typeof claims.mfa !== 'boolean') throw new AssertionRefused('malformed');
    if (claims.name !== undefined && typeof claims.name !== 'string') throw new AssertionRefused('malformed');

    return Object.freeze({ sub: claims.sub, email, name: claims.name, mfa: claims.mfa, iat, exp });
  };
}

module.exports = { createAssertionVerifier, AssertionRefused, MIN_SECRET_BYTES, MAX_LIFETIME_SECONDS, CLOCK_SKEW_SECONDS };
