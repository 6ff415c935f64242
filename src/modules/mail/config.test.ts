import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '../../config.js';

const env = (values: Record<string, string>) => values as NodeJS.ProcessEnv;

test('mail: files in data/mail by default, in tests, and when no SMTP server is configured', () => {
  assert.deepEqual(loadConfig(env({ NODE_ENV: 'test' })).mail, { transport: 'file', dir: 'data/mail', from: 'Besa <no-reply@localhost>' });
  assert.equal(loadConfig(env({ NODE_ENV: 'production' })).mail.transport, 'file');
  assert.equal(loadConfig(env({ NODE_ENV: 'test', BESA_SMTP_URL: 'smtp://mail.example.org' })).mail.transport, 'file', 'tests never send');
  assert.deepEqual(loadConfig(env({ BESA_MAIL_TRANSPORT: 'file', BESA_MAIL_DIR: '/tmp/box' })).mail, { transport: 'file', dir: '/tmp/box', from: 'Besa <no-reply@localhost>' });
});

test('mail: SMTP from BESA_SMTP_URL and BESA_MAIL_FROM', () => {
  const smtp = { BESA_SMTP_URL: 'smtps://besa:s3cret@mail.example.org:465', BESA_MAIL_FROM: 'Besa Gjakova <no-reply@gjakova.example.org>' };
  assert.deepEqual(loadConfig(env(smtp)).mail, { transport: 'smtp', smtpUrl: smtp.BESA_SMTP_URL, from: smtp.BESA_MAIL_FROM });
  assert.equal(loadConfig(env({ ...smtp, BESA_MAIL_TRANSPORT: 'smtp', NODE_ENV: 'test' })).mail.transport, 'smtp', 'an explicit choice wins');
});

test('mail: a bad setting stops the start with a clear message that never repeats the password', () => {
  const cases: [Record<string, string>, RegExp][] = [
    [{ BESA_MAIL_TRANSPORT: 'smtp' }, /needs BESA_SMTP_URL/],
    [{ BESA_MAIL_TRANSPORT: 'smtp', BESA_SMTP_URL: 'smtp://mail.example.org' }, /needs BESA_MAIL_FROM/],
    [{ BESA_MAIL_TRANSPORT: 'smtp', BESA_SMTP_URL: 'http://user:hunter2@mail.example.org', BESA_MAIL_FROM: 'a@example.org' }, /must look like smtp:\/\//],
    [{ BESA_MAIL_TRANSPORT: 'smtp', BESA_SMTP_URL: 'not a url hunter2', BESA_MAIL_FROM: 'a@example.org' }, /is not a URL/],
    [{ BESA_MAIL_TRANSPORT: 'pigeon' }, /must be "smtp" or "file"/],
    [{ BESA_MAIL_FROM: 'nobody' }, /BESA_MAIL_FROM must be an address/],
  ];
  for (const [values, message] of cases) {
    assert.throws(
      () => loadConfig(env(values)),
      (error: unknown) => error instanceof ConfigError && message.test(error.message) && !error.message.includes('hunter2'),
      JSON.stringify(values),
    );
  }
});
