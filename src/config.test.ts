import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig, parseTrustProxy } from './config.js';

const load = (env: Record<string, string>) => loadConfig({ NODE_ENV: 'test', ...env } as NodeJS.ProcessEnv);

describe('BESA_TRUST_PROXY', () => {
  test('unset, empty, false and 0 believe no X-Forwarded-* header', () => {
    assert.equal(load({}).trustProxy, false);
    for (const raw of ['', 'false', '0', ' false ']) assert.equal(parseTrustProxy(raw), false, raw);
  });

  test('a whole number is a count of proxy hops', () => {
    assert.equal(load({ BESA_TRUST_PROXY: '1' }).trustProxy, 1);
    assert.equal(load({ BESA_TRUST_PROXY: '2' }).trustProxy, 2);
    assert.equal(parseTrustProxy('10'), 10);
  });

  test('true means one proxy in front of Besa, not "believe every X-Forwarded-For"', () => {
    assert.equal(load({ BESA_TRUST_PROXY: 'true' }).trustProxy, 1);
  });

  test('a list of proxy addresses and CIDR ranges is kept as a list', () => {
    assert.deepEqual(load({ BESA_TRUST_PROXY: '127.0.0.1,10.0.0.0/8' }).trustProxy, ['127.0.0.1', '10.0.0.0/8']);
    assert.deepEqual(parseTrustProxy(' ::1 , fd00::/8, 192.168.1.0/24,loopback '), ['::1', 'fd00::/8', '192.168.1.0/24', 'loopback']);
  });

  test('anything else is refused with a message naming the variable and the bad entry', () => {
    const cases: Array<[string, RegExp]> = [
      ['yes', /BESA_TRUST_PROXY.*"yes"/],
      ['11', /between 1 and 10.*"11"/],
      ['-1', /"-1"/],
      ['1.5', /"1\.5"/],
      ['10.0.0.0/33', /"10\.0\.0\.0\/33"/],
      ['::1/129', /"::1\/129"/],
      ['10.0.0.256', /"10\.0\.0\.256"/],
      ['127.0.0.1,,10.0.0.1', /not an address or range: ""/],
      ['127.0.0.1, proxy.example.org', /"proxy\.example\.org"/],
      ['10.0.0.0/8/8', /"10\.0\.0\.0\/8\/8"/],
      ['TRUE', /"TRUE"/],
    ];
    for (const [raw, message] of cases) {
      assert.throws(() => load({ BESA_TRUST_PROXY: raw }), (error: unknown) => error instanceof ConfigError && message.test(error.message), raw);
    }
  });
});

describe('cookies and the public address', () => {
  test('an https public address makes every cookie Secure', () => {
    assert.equal(load({ BESA_PUBLIC_URL: 'https://besa.example.org' }).cookieSecure, true);
    assert.equal(load({ BESA_PUBLIC_URL: 'HTTPS://besa.example.org/' }).cookieSecure, true);
  });

  test('an http public address leaves it to the request (Secure when it arrived over https)', () => {
    assert.equal(load({}).cookieSecure, 'auto');
    assert.equal(load({ BESA_PUBLIC_URL: 'http://127.0.0.1:3000' }).cookieSecure, 'auto');
  });
});
