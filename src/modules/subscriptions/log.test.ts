import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../app.js';
import { loadConfig } from '../../config.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../../test/db.js';
import { insertReportingFixture } from '../../../test/reporting-fixture.js';
import { deliverDueMail, type TransportMessage } from '../mail/index.js';
import { deliverImmediateNotices } from './deliver.js';
import { notifySubscribers } from './notify.js';

/**
 * The server log (at debug level) of a whole subscription, from the form to one-click unsubscribe,
 * holds neither the address, nor the client's IP address, nor any of the links' tokens. Both databases.
 */
for (const dialect of DIALECTS) {
  describe(`subscriptions leave no address or token in the log [${dialect}]`, () => {
    let database: TestDatabase;
    let app: FastifyInstance;
    const raw: string[] = [];

    before(async () => {
      database = await openTestDatabase(dialect);
      const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'debug' } as NodeJS.ProcessEnv);
      app = await buildApp({ config, database, logStream: { write: (line) => void raw.push(line) } });
      await app.ready();
    });
    after(async () => {
      await app?.close();
      await database?.destroy();
    });

    test('form, confirmation, notice, unsubscribe', async () => {
      const f = await insertReportingFixture(database.db);
      const email = 'unique.leak.check.7731@example.net';
      const ip = '198.51.100.77';
      const form = await app.inject({ method: 'GET', url: `/en/subscriptions/new?topic=plan:${f.planId}`, remoteAddress: ip });
      const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
      const cookie = form.cookies.find((c) => c.name === '_csrf')!.value;
      const posted = await app.inject({
        method: 'POST',
        url: '/en/subscriptions/new',
        remoteAddress: ip,
        payload: new URLSearchParams({ _csrf: csrf, topic: `plan:${f.planId}`, email, frequency: 'immediate', locale: 'en', consent: 'yes' }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        cookies: { _csrf: cookie },
      });
      assert.equal(posted.statusCode, 303);
      const sent: TransportMessage[] = [];
      await deliverDueMail(database.db, { sendMail: async (m) => void sent.push(m) }, new Date(Date.now() + 1000));
      const confirmToken = /confirm\/([A-Za-z0-9_-]+)/.exec(sent[0]!.text)![1]!;
      const page = await app.inject({ method: 'GET', url: `/en/subscriptions/confirm/${confirmToken}`, remoteAddress: ip });
      const confirmed = await app.inject({
        method: 'POST',
        url: `/en/subscriptions/confirm/${confirmToken}`,
        remoteAddress: ip,
        payload: new URLSearchParams({ _csrf: /name="_csrf" value="([^"]+)"/.exec(page.body)![1]! }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        cookies: { _csrf: page.cookies.find((c) => c.name === '_csrf')!.value },
      });
      assert.equal(confirmed.statusCode, 303);
      const manageToken = /manage\/(.+)$/.exec(String(confirmed.headers.location))![1]!;
      await app.inject({ method: 'GET', url: `/en/subscriptions/manage/${manageToken}`, remoteAddress: ip });
      await database.db.transaction().execute((trx) =>
        notifySubscribers(trx, { jurisdictionId: f.jurisdictionId, topics: [{ type: 'plan', id: f.planId }], kind: 'update', title: { en: 'News' }, path: '/gjakova', isDemo: false }),
      );
      assert.equal(await deliverImmediateNotices(database.db, { publicUrl: 'https://besa.example.org', log: app.log }), 1);
      await app.inject({ method: 'GET', url: `/subscriptions/unsubscribe/${manageToken}`, remoteAddress: ip });
      const gone = await app.inject({ method: 'POST', url: `/subscriptions/unsubscribe/${manageToken}`, remoteAddress: ip, payload: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      assert.equal(gone.statusCode, 200);

      const log = raw.join('');
      assert.ok(log.includes('/subscriptions/'), 'the requests were logged');
      for (const secret of [email, ip, confirmToken, manageToken, manageToken.split('.')[1]!]) assert.ok(!log.includes(secret), `the log holds ${secret}`);
    });
  });
}
