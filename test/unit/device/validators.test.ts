// The input validators the REST client runs before sending (and the UI reuses for input boxes): the exact
// boundaries accepted and the wording of what is wrong. Pure functions, so no board is needed here; the REST
// client tests prove that a rejected value is never sent.
import * as assert from 'node:assert/strict';
import * as v from '../../../src/device/validators';

describe('device input validators', () => {
  it('accepts SSIDs of 1–32 UTF-8 bytes and says how long a bad one is', () => {
    assert.equal(v.validateSsid('a'), null);
    assert.equal(v.validateSsid('x'.repeat(32)), null);
    assert.equal(v.validateSsid('é'.repeat(16)), null); // 32 bytes
    assert.match(v.validateSsid('é'.repeat(17)) ?? '', /34 bytes long; the maximum is 32/);
    assert.match(v.validateSsid('') ?? '', /must not be empty/);
  });

  it('accepts 8–63 printable ASCII or 64 hex digits as a PSK, never quoting it', () => {
    assert.equal(v.validatePsk('12345678'), null);
    assert.equal(v.validatePsk('~'.repeat(63)), null);
    assert.equal(v.validatePsk('with spaces ok'), null);
    assert.equal(v.validatePsk('aB'.repeat(32)), null); // 64 hex digits
    assert.match(v.validatePsk('x'.repeat(64)) ?? '', /64 characters long/);
    assert.match(v.validatePsk('1234567') ?? '', /7 characters long/);
    for (const bad of ['tab\there-secret', 'naïve-secret', 'line\nbreak-secret']) {
      const message = v.validatePsk(bad) ?? '';
      assert.match(message, /printable ASCII/);
      assert.doesNotMatch(message, /secret/);
    }
  });

  it('limits configuration names to 16 characters', () => {
    assert.equal(v.validateConfigName('x'.repeat(16)), null);
    assert.match(v.validateConfigName('x'.repeat(17)) ?? '', /maximum is 16/);
  });

  it('accepts certificate IDs of 1–16 letters, digits, dot, dash and underscore', () => {
    assert.equal(v.validateCertificateId('Ab9._-'), null);
    assert.equal(v.validateCertificateId('x'.repeat(16)), null);
    assert.match(v.validateCertificateId('x'.repeat(17)) ?? '', /1–16 characters/);
    for (const bad of ['a b', 'a/b', 'ä', 'a:b']) assert.match(v.validateCertificateId(bad) ?? '', /may only contain/);
  });

  it('accepts a PEM up to 8192 bytes', () => {
    const wrap = (body: string): string => `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`;
    const overhead = wrap('').length;
    assert.equal(v.validatePem(wrap('A'.repeat(8192 - overhead))), null);
    assert.match(v.validatePem(wrap('A'.repeat(8193 - overhead))) ?? '', /8193 bytes long; the maximum is 8192/);
    assert.match(v.validatePem('MIIB…', 'Private key') ?? '', /^Private key is not in PEM format/);
  });

  it('checks device addresses against 192.168.35.2–254 and hardware addresses', () => {
    assert.equal(v.validateDeviceIpAddress('192.168.35.2'), null);
    assert.equal(v.validateDeviceIpAddress('192.168.35.254'), null);
    for (const bad of ['192.168.35.1', '192.168.35.255', '10.0.0.2']) assert.match(v.validateDeviceIpAddress(bad) ?? '', /range is 192\.168\.35\.2-192\.168\.35\.254/);
    assert.equal(v.validateHardwareAddress('aa:BB:cc:01:02:03'), null);
    assert.match(v.validateHardwareAddress('aa:bb:cc:dd:ee') ?? '', /six hexadecimal byte pairs/);
  });
});
