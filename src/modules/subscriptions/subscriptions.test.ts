import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openTestApp, type TestApp } from '../../../test/app.js';
import { DIALECTS } from '../../../test/db.js';
import { htmlErrors } from '../../../test/html.js';
import { insertReportingFixture, type ReportingFixture } from '../../../test/reporting-fixture.js';
import { LOCALES } from '../../i18n/locales.js';
import { clearMailbox, deliverToMailbox, type MailboxMessage } from '../mail/index.js';
import { createHash } from 'node:crypto';
import { clientHash } from '../participation/contribution-limits.js';
import { addressHash } from '../participation/privacy.js';
import { pdb } from '../participation/tables.js';
import { deliverDigests, deliverImmediateNotices, pruneSubscriptions } from './deliver.js';
import { eraseSubscriptions } from './erase.js';
import { notifySubscribers, type Notice } from './notify.js';
import { sdb } from './tables.js';

/**
 * Subscriptions end to end on the real app, on both databases: the form, the confirmation link
 * (GET shows a button, POST confirms), a published notice reaching the subscriber in their language
 * with RFC 8058 headers, one-click unsubscribe, digests, two workers, pruning, erasure, refused
 * forms that keep what was typed, and no address on any page.
 */

const PUBLIC_URL = 'https://besa.example.org';

for (const dialect of DIALECTS) {
  describe(`subscriptions [${dialect}]`, () => {
    let t: TestApp;
    let f: ReportingFixture;
    let dir: string;

    before(async () => {
      t = await openTestApp(dialect, { BESA_PUBLIC_URL: PUBLIC_URL });
      f = await insertReportingFixture(t.database.db);
      dir = await mkdtemp(join(tmpdir(), 'besa-subscriptions-'));
    });
    after(async () => {
      await t?.close();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    const db = () => t.database.db;
    const mailbox = async (): Promise<MailboxMessage[]> => {
      await clearMailbox(dir);
      return deliverToMailbox(db(), dir);
    };

    /** GETs the form and POSTs it with its CSRF token; returns the response. */
    let client = 0;
    /** Each request from its own client address unless one is given (the per-client limit is tested on its own). */
    async function subscribe(topic: string, fields: Record<string, string>, locale = 'en', ip = `203.0.113.${(client++ % 200) + 1}`) {
      const page = await t.app.inject({ method: 'GET', url: `/${locale}/subscriptions/new?topic=${topic}` });
      assert.equal(page.statusCode, 200, page.body.slice(0, 300));
      const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
      const cookie = page.cookies.find((c) => c.name === '_csrf')?.value;
      assert.ok(token && cookie);
      return t.app.inject({
        method: 'POST',
        url: `/${locale}/subscriptions/new`,
        remoteAddress: ip,
        payload: new URLSearchParams({ _csrf: token, topic, ...fields }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        cookies: { _csrf: cookie },
      });
    }

    async function postWithCsrf(pageUrl: string, url: string, fields: Record<string, string> = {}) {
      const page = await t.app.inject({ method: 'GET', url: pageUrl });
      const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
      const cookie = page.cookies.find((c) => c.name === '_csrf')?.value ?? '';
      return t.app.inject({
        method: 'POST',
        url,
        payload: new URLSearchParams({ _csrf: token, ...fields }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        cookies: { _csrf: cookie },
      });
    }

    /** Subscribes and confirms through the pages; returns the manage token. */
    async function subscribeAndConfirm(topic: string, email: string, frequency: string, locale: string): Promise<string> {
      const response = await subscribe(topic, { email, frequency, locale, consent: 'yes' });
      assert.equal(response.statusCode, 303);
      const messages = await mailbox();
      const confirmation = messages.filter((m) => m.to === email).at(-1);
      assert.ok(confirmation, 'a confirmation message');
      const link = new RegExp(`${PUBLIC_URL}/${locale}/subscriptions/confirm/([A-Za-z0-9_-]+)`).exec(confirmation.text);
      assert.ok(link, confirmation.text);
      const confirmed = await postWithCsrf(`/${locale}/subscriptions/confirm/${link[1]}`, `/${locale}/subscriptions/confirm/${link[1]}`);
      assert.equal(confirmed.statusCode, 303);
      const manage = new RegExp(`^/${locale}/subscriptions/manage/([0-9]+\\.[A-Za-z0-9_-]+)$`).exec(String(confirmed.headers.location));
      assert.ok(manage, String(confirmed.headers.location));
      return manage[1]!;
    }

    function notice(overrides: Partial<Notice> = {}): Notice {
      return {
        jurisdictionId: f.jurisdictionId,
        topics: [
          { type: 'plan', id: f.planId },
          { type: 'commitment', id: f.commitmentId },
        ],
        kind: 'update',
        title: { en: 'XKGJA0001 Open budget', fr: 'XKGJA0001 Budget ouvert', sq: 'XKGJA0001 Buxhet i hapur' },
        path: '/gjakova/plans/2024-2025/commitments/XKGJA0001',
        isDemo: false,
        ...overrides,
      };
    }

    const publish = (n: Notice = notice()) => db().transaction().execute((trx) => notifySubscribers(trx, n));
    const rows = (email: string) => sdb(db()).selectFrom('subscriptions').selectAll().where('email', '=', email).execute();

    test('subscribe, confirm by POST (GET changes nothing), a published update arrives in the subscriber’s language with one-click unsubscribe headers', async () => {
      const email = 'follower.one@example.net';
      const form = await t.app.inject({ method: 'GET', url: `/en/subscriptions/new?topic=commitment:${f.commitmentId}` });
      assert.ok(form.body.includes('Commitment'), 'names what is followed');
      assert.ok(form.body.includes('href="/en/privacy"'), 'links to the privacy notice');
      const response = await subscribe(`commitment:${f.commitmentId}`, { email, frequency: 'immediate', locale: 'fr', consent: 'yes' });
      assert.equal(response.statusCode, 303);
      assert.equal(response.headers.location, '/en/subscriptions/sent');
      const [confirmation] = (await mailbox()).filter((m) => m.to === email);
      assert.ok(confirmation);
      assert.match(confirmation.subject, /^Confirmez/, 'written in the chosen language');
      assert.ok(confirmation.text.includes('48 heures'));
      const token = /\/fr\/subscriptions\/confirm\/([A-Za-z0-9_-]+)/.exec(confirmation.text)![1]!;
      // A scanner following the link confirms nothing.
      const get = await t.app.inject({ method: 'GET', url: `/fr/subscriptions/confirm/${token}` });
      assert.equal(get.statusCode, 200);
      assert.ok(get.body.includes('<form method="post"'));
      assert.equal((await rows(email))[0]!.confirmed_at, null);
      // Nothing is sent before confirmation.
      await publish();
      assert.equal(await deliverImmediateNotices(db(), { publicUrl: PUBLIC_URL }), 0);
      const confirmed = await postWithCsrf(`/fr/subscriptions/confirm/${token}`, `/fr/subscriptions/confirm/${token}`);
      assert.equal(confirmed.statusCode, 303);
      assert.ok((await rows(email))[0]!.confirmed_at);
      // The link works once.
      assert.equal((await t.app.inject({ method: 'GET', url: `/fr/subscriptions/confirm/${token}` })).statusCode, 410);
      const manageToken = /manage\/(.+)$/.exec(String(confirmed.headers.location))![1]!;
      const manage = await t.app.inject({ method: 'GET', url: `/fr/subscriptions/manage/${manageToken}` });
      assert.equal(manage.statusCode, 200);
      assert.ok(!manage.body.includes(email), 'the address is not shown, not even to its owner');

      // The notice published before confirmation is not sent; a new one is, once.
      await publish();
      assert.equal(await deliverImmediateNotices(db(), { publicUrl: PUBLIC_URL }), 1);
      assert.equal(await deliverImmediateNotices(db(), { publicUrl: PUBLIC_URL }), 0);
      const [message] = (await mailbox()).filter((m) => m.to === email);
      assert.ok(message);
      assert.match(message.subject, /Rapport d’avancement: XKGJA0001 Budget ouvert/);
      assert.ok(message.text.includes(`${PUBLIC_URL}/fr/gjakova/plans/2024-2025/commitments/XKGJA0001`), message.text);
      assert.ok(message.text.includes(`${PUBLIC_URL}/fr/subscriptions/manage/${manageToken}`));
      assert.ok(message.text.includes(`${PUBLIC_URL}/fr/privacy`) || /\/fr\//.test(message.text), 'the erasure link');
      assert.equal(message.headers['list-unsubscribe'], `<${PUBLIC_URL}/subscriptions/unsubscribe/${manageToken}>`);
      assert.equal(message.headers['list-unsubscribe-post'], 'List-Unsubscribe=One-Click');

      // A forged or altered token names nothing.
      const forged = manageToken.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
      assert.equal((await t.app.inject({ method: 'GET', url: `/fr/subscriptions/manage/${forged}` })).statusCode, 410);

      // One click (RFC 8058): a POST without CSRF token unsubscribes; the row and the address are gone.
      const unsubscribePage = await t.app.inject({ method: 'GET', url: `/subscriptions/unsubscribe/${manageToken}` });
      assert.equal(unsubscribePage.statusCode, 200);
      assert.ok(unsubscribePage.body.includes('lang="fr"'), 'in the subscriber’s language');
      assert.equal((await rows(email)).length, 1, 'GET unsubscribes nothing');
      const oneClick = await t.app.inject({
        method: 'POST',
        url: `/subscriptions/unsubscribe/${manageToken}`,
        payload: 'List-Unsubscribe=One-Click',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      assert.equal(oneClick.statusCode, 200);
      assert.equal((await rows(email)).length, 0);
      const again = await t.app.inject({ method: 'POST', url: `/subscriptions/unsubscribe/${manageToken}`, payload: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      assert.equal(again.statusCode, 200, 'the same answer a second time');
      const multipart = await t.app.inject({
        method: 'POST',
        url: `/subscriptions/unsubscribe/${manageToken}`,
        payload: '--b\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--b--\r\n',
        headers: { 'content-type': 'multipart/form-data; boundary=b' },
      });
      assert.equal(multipart.statusCode, 200, 'a multipart one-click body is accepted too');
    });

    test('a repeated subscription neither duplicates nor tells whether the address was subscribed', async () => {
      const email = 'Repeat.Person@example.net';
      const topic = `plan:${f.planId}`;
      const first = await subscribe(topic, { email, frequency: 'daily', locale: 'en', consent: 'yes' });
      const second = await subscribe(topic, { email: email.toLowerCase(), frequency: 'weekly', locale: 'en', consent: 'yes' });
      assert.equal(first.statusCode, second.statusCode);
      assert.equal(first.headers.location, second.headers.location);
      assert.equal((await sdb(db()).selectFrom('subscriptions').select('id').where('email_hash', '=', await addressHash(db(), email)).execute()).length, 1);
      await clearMailbox(dir);
      const token = await subscribeAndConfirm(topic, email, 'weekly', 'en');
      const third = await subscribe(topic, { email, frequency: 'immediate', locale: 'en', consent: 'yes' });
      assert.equal(third.statusCode, first.statusCode);
      assert.equal(third.headers.location, first.headers.location);
      const already = (await mailbox()).filter((m) => m.to === email);
      assert.equal(already.length, 1);
      assert.match(already[0]!.subject, /already follow/);
      assert.ok(already[0]!.text.includes(`/en/subscriptions/manage/${token}`));
      const stored = await rows(email);
      assert.equal(stored.length, 1);
      assert.equal(stored[0]!.frequency, 'weekly', 'an unconfirmed request changes nothing');
      await t.app.inject({ method: 'POST', url: `/subscriptions/unsubscribe/${token}`, payload: '' });
    });

    test('a daily digest groups several notices into one message; two workers never send one twice', async () => {
      const daily = 'digest.reader@example.net';
      const instant = 'instant.reader@example.net';
      const dailyToken = await subscribeAndConfirm(`jurisdiction:${f.jurisdictionId}`, daily, 'daily', 'sq');
      const instantToken = await subscribeAndConfirm(`plan:${f.planId}`, instant, 'immediate', 'en');
      // The same person also follows the commitment: still one message per notice.
      await subscribeAndConfirm(`commitment:${f.commitmentId}`, instant, 'immediate', 'en');
      await clearMailbox(dir);
      for (const n of [1, 2, 3]) await publish(notice({ title: { en: `Update ${n}`, sq: `Raporti ${n}` }, path: `/gjakova/updates/${n}` }));
      // Two workers at once.
      const [a, b] = await Promise.all([deliverImmediateNotices(db(), { publicUrl: PUBLIC_URL }), deliverImmediateNotices(db(), { publicUrl: PUBLIC_URL })]);
      assert.equal(a + b, 3);
      // Not yet a new day: no digest.
      assert.equal(await deliverDigests(db(), { publicUrl: PUBLIC_URL }), 0);
      const tomorrow = new Date(Date.now() + 86_400_000);
      const [c, d] = await Promise.all([deliverDigests(db(), { publicUrl: PUBLIC_URL, now: tomorrow }), deliverDigests(db(), { publicUrl: PUBLIC_URL, now: tomorrow })]);
      assert.equal(c + d, 1);
      assert.equal(await deliverDigests(db(), { publicUrl: PUBLIC_URL, now: tomorrow }), 0);
      const messages = await deliverToMailbox(db(), dir);
      const instantMessages = messages.filter((m) => m.to === instant);
      assert.equal(instantMessages.length, 3);
      const digest = messages.filter((m) => m.to === daily);
      assert.equal(digest.length, 1);
      assert.match(digest[0]!.subject, /Përmbledhja e sotme: 3 risi/);
      for (const n of [1, 2, 3]) assert.ok(digest[0]!.text.includes(`Raporti ${n}`) && digest[0]!.text.includes(`${PUBLIC_URL}/sq/gjakova/updates/${n}`));
      assert.equal(digest[0]!.headers['list-unsubscribe'], `<${PUBLIC_URL}/subscriptions/unsubscribe/${dailyToken}>`);
      for (const token of [dailyToken, instantToken]) await t.app.inject({ method: 'POST', url: `/subscriptions/unsubscribe/${token}`, payload: '' });
    });

    test('an idle daily subscriber is claimed once a day, not looked at again at every run', async () => {
      const email = 'idle.reader@example.net';
      const token = await subscribeAndConfirm(`commitment:${f.commitmentId}`, email, 'daily', 'en');
      const day = new Date(Date.now() + 86_400_000);
      day.setUTCHours(0, 1, 0, 0);
      assert.equal(await deliverDigests(db(), { publicUrl: PUBLIC_URL, now: day }), 0);
      const claimed = (await rows(email))[0]!.last_digest_at;
      assert.equal(claimed, day.toISOString(), 'the day is claimed although there was nothing to tell');
      // Later runs of the same day do not select it again (the claim is not renewed) …
      for (const minutes of [1, 2, 600]) await deliverDigests(db(), { publicUrl: PUBLIC_URL, now: new Date(day.getTime() + minutes * 60_000) });
      assert.equal((await rows(email))[0]!.last_digest_at, claimed);
      // … and the next day it is claimed again.
      const next = new Date(day.getTime() + 86_400_000);
      await deliverDigests(db(), { publicUrl: PUBLIC_URL, now: next });
      assert.equal((await rows(email))[0]!.last_digest_at, next.toISOString());
      await t.app.inject({ method: 'POST', url: `/subscriptions/unsubscribe/${token}`, payload: '' });
    });

    test('a demonstration notice is labelled as such', async () => {
      const email = 'demo.reader@example.net';
      const token = await subscribeAndConfirm(`jurisdiction:${f.jurisdictionId}`, email, 'immediate', 'en');
      await clearMailbox(dir);
      await publish(notice({ isDemo: true, title: { en: 'Try the form' } }));
      await deliverImmediateNotices(db(), { publicUrl: PUBLIC_URL });
      const [message] = (await deliverToMailbox(db(), dir)).filter((m) => m.to === email);
      assert.match(message!.subject, /^\[Demonstration\]/);
      assert.match(message!.text, /example data/);
      await t.app.inject({ method: 'POST', url: `/subscriptions/unsubscribe/${token}`, payload: '' });
    });

    test('unconfirmed subscriptions are deleted after 48 hours and a margin; eraseSubscriptions deletes a person’s', async () => {
      const email = 'pruned.person@example.net';
      await subscribe(`plan:${f.planId}`, { email, frequency: 'immediate', locale: 'en', consent: 'yes' });
      const kept = 'erased.person@example.net';
      await subscribeAndConfirm(`plan:${f.planId}`, kept, 'immediate', 'en');
      await subscribeAndConfirm(`jurisdiction:${f.jurisdictionId}`, kept, 'daily', 'en');
      await pruneSubscriptions(db(), new Date(Date.now() + 47 * 3_600_000));
      assert.equal((await rows(email)).length, 1, 'kept while the link may still be used');
      assert.ok((await pruneSubscriptions(db(), new Date(Date.now() + 50 * 3_600_000))).unconfirmed >= 1);
      assert.equal((await rows(email)).length, 0);
      assert.equal((await rows(kept)).length, 2, 'confirmed ones stay');
      const hash = await addressHash(db(), kept);
      assert.equal(await db().transaction().execute((trx) => eraseSubscriptions(trx, hash)), 2);
      assert.equal((await rows(kept)).length, 0);
    });

    test('refused forms keep what was typed, escaped; hostile input is never a 5xx', async () => {
      const topic = `commitment:${f.commitmentId}`;
      const hostile = '<script>alert(1)</script>"onmouseover=x@example.net\u202e';
      const refused = await subscribe(topic, { email: hostile, frequency: 'daily', locale: 'fr' });
      assert.equal(refused.statusCode, 422);
      // Kept inside the field's value, whose quote is escaped: the attribute cannot be left.
      assert.ok(refused.body.includes('value="<script>alert(1)</script>&#34;onmouseover=x@example.net'), 'kept, escaped');
      assert.ok(!refused.body.includes('"onmouseover'));
      assert.equal(refused.body.split('<script').length - 1, 1 + 1, 'no script element but the page’s own (and the value)');
      assert.ok(refused.body.includes('class="error-summary"'));
      assert.ok(/<option value="daily" selected/.test(refused.body), 'the frequency is kept');
      assert.ok(/<option value="fr" selected/.test(refused.body), 'the language is kept');
      assert.deepEqual(await htmlErrors(refused.body), []);
      const nul = await subscribe(topic, { email: 'nul\u0000person@example.net', frequency: 'daily', locale: 'en', consent: 'yes' });
      assert.equal(nul.statusCode, 422);
      assert.match(nul.body, /cannot be stored/);
      const long = await subscribe(topic, { email: `${'a'.repeat(100_000)}@example.net`, frequency: 'daily', locale: 'en', consent: 'yes' });
      assert.ok([422, 413].includes(long.statusCode), String(long.statusCode));
      const badChoice = await subscribe(topic, { email: 'ok.person@example.net', frequency: 'hourly', locale: 'xx', consent: 'yes' });
      assert.equal(badChoice.statusCode, 422);
      for (const url of ['/en/subscriptions/new', '/en/subscriptions/new?topic=plan:999999', '/en/subscriptions/new?topic=javascript:alert(1)', `/en/subscriptions/new?topic=<script>`]) {
        assert.equal((await t.app.inject({ method: 'GET', url })).statusCode, 404, url);
      }
      assert.equal((await t.app.inject({ method: 'GET', url: '/en/subscriptions/manage/%3Cscript%3E' })).statusCode, 410);
      assert.equal((await t.app.inject({ method: 'GET', url: '/en/subscriptions/confirm/x' })).statusCode, 410);
      // A POST without the CSRF token is refused.
      const noCsrf = await t.app.inject({ method: 'POST', url: '/en/subscriptions/new', payload: `topic=${topic}&email=a@example.net&frequency=daily&locale=en&consent=yes`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      assert.equal(noCsrf.statusCode, 403);
    });

    test('too many requests from one client: 429; from one address: the same answer, no more messages', async () => {
      const topic = `plan:${f.planId}`;
      await clearMailbox(dir);
      const email = 'many.requests@example.net';
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) statuses.push((await subscribe(topic, { email, frequency: 'daily', locale: 'en', consent: 'yes' }, 'en', '198.51.100.9')).statusCode);
      assert.deepEqual(new Set(statuses), new Set([303]));
      assert.equal((await deliverToMailbox(db(), dir)).filter((m) => m.to === email).length, 5);
      let last = 0;
      for (let i = 0; i < 25; i++) last = (await subscribe(topic, { email: `client${i}@example.net`, frequency: 'daily', locale: 'en', consent: 'yes' }, 'en', '198.51.100.10')).statusCode;
      assert.equal(last, 429);
      // Counted with participation's rotating key: no reversible hash of the IP or the address is stored.
      const attempts = await db().selectFrom('login_attempts').select('key').execute();
      for (const value of ['subscribe:client:198.51.100.9', 'subscribe:client:198.51.100.10', `subscribe:address:${await addressHash(db(), email)}`]) {
        assert.ok(!attempts.some((a) => a.key === createHash('sha256').update(value).digest('hex')), value);
      }
      const buckets = (await pdb(db()).selectFrom('participation_buckets').select(['key_hash', 'count']).execute()).map((b) => [b.key_hash, Number(b.count)]);
      const bucket = async (kind: string, value: string) => {
        const hash = await clientHash(db(), kind, value);
        return buckets.find(([k]) => k === hash)?.[1];
      };
      assert.equal(await bucket('subscribe-ip', '198.51.100.10'), 20);
      assert.equal(await bucket('subscribe-address', email), 5);
    });

    test('the new pages are valid HTML in every locale and show no address', async () => {
      const email = 'html.check@example.net';
      const token = await subscribeAndConfirm(`commitment:${f.commitmentId}`, email, 'immediate', 'en');
      await subscribe(`plan:${f.planId}`, { email, frequency: 'immediate', locale: 'en', consent: 'yes' });
      const confirmLink = /\/subscriptions\/confirm\/([A-Za-z0-9_-]+)/.exec((await mailbox()).find((m) => m.to === email)!.text)![1]!;
      for (const locale of LOCALES) {
        for (const url of [
          `/${locale}/subscriptions/new?topic=commitment:${f.commitmentId}`,
          `/${locale}/subscriptions/new?topic=jurisdiction:${f.jurisdictionId}`,
          `/${locale}/subscriptions/sent`,
          `/${locale}/subscriptions/confirm/${confirmLink}`,
          `/${locale}/subscriptions/confirm/expired-or-unknown-token-0000`,
          `/${locale}/subscriptions/manage/${token}`,
        ]) {
          const response = await t.app.inject({ method: 'GET', url });
          assert.ok([200, 410].includes(response.statusCode), `${url}: ${response.statusCode}`);
          assert.deepEqual(await htmlErrors(response.body), [], url);
          assert.ok(!response.body.includes('@example.net'), `${url} shows an address`);
          assert.equal(response.headers['cache-control'], 'no-store', url);
        }
      }
      const unsubscribePage = await t.app.inject({ method: 'GET', url: `/subscriptions/unsubscribe/${token}` });
      assert.deepEqual(await htmlErrors(unsubscribePage.body), []);
      // The public pages link to the form.
      const plan = await t.app.inject({ method: 'GET', url: '/en/gjakova/plans/2024-2025' });
      assert.ok(plan.body.includes(`href="/en/subscriptions/new?topic=plan:${f.planId}"`));
      const commitment = await t.app.inject({ method: 'GET', url: '/sq/gjakova/plans/2024-2025/commitments/XKGJA0001' });
      assert.ok(commitment.body.includes(`href="/sq/subscriptions/new?topic=commitment:${f.commitmentId}"`));
      const home = await t.app.inject({ method: 'GET', url: '/fr/gjakova' });
      assert.ok(home.body.includes(`href="/fr/subscriptions/new?topic=jurisdiction:${f.jurisdictionId}"`));
      // Changing frequency and language from the manage page.
      const saved = await postWithCsrf(`/en/subscriptions/manage/${token}`, `/en/subscriptions/manage/${token}`, { frequency: 'weekly', locale: 'sr-Latn' });
      assert.equal(saved.statusCode, 303);
      assert.equal(saved.headers.location, `/sr-Latn/subscriptions/manage/${token}`);
      const [row] = await rows(email).then((r) => r.filter((s) => s.confirmed_at));
      assert.equal(row!.frequency, 'weekly');
      assert.equal(row!.locale, 'sr-Latn');
      // A refused change answers 422, like every other form of Besa, and keeps what was chosen.
      const refusedChange = await postWithCsrf(`/en/subscriptions/manage/${token}`, `/en/subscriptions/manage/${token}`, { frequency: 'hourly', locale: 'fr' });
      assert.equal(refusedChange.statusCode, 422);
      assert.ok(refusedChange.body.includes('class="error-summary"'));
    });
  });
}
