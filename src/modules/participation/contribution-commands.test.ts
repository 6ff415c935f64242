import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { describeEachDatabase } from '../../../test/db.js';
import { FormErrors } from '../../lib/forms.js';
import { readContentVersion } from '../../db/content-version.js';
import {
  confirmContribution,
  ContributionClosedError,
  findConfirmation,
  ContributionInputError,
  flagContribution,
  submitContribution,
  type ContributionInput,
} from './contribution-commands.js';
import { admitContribution, RateLimitedError } from './contribution-limits.js';
import { insertContributionFixture, type ContributionFixture } from '../../../test/contribution-fixture.js';
import { pruneParticipation } from './contribution-prune.js';
import { eraseByLink } from './privacy-erase.js';
import { addressHash, erasureLink, findErasureLink } from './privacy.js';
import { pdb } from './tables.js';
import { translator } from '../../i18n/index.js';
import { findConsultationById } from './consultation-queries.js';
import { ContributionsSection, loadContributionThread } from './contribution-section.js';
import { contributionRecent, contributionSearch } from './contribution-sources.js';

/**
 * The contribution commands on both databases: exactly once under parallel confirmations,
 * pre-moderation, closed consultations, parallel submissions against the limits, the flag
 * threshold, erasure and the hourly pruning.
 */

const PUBLIC_URL = 'https://besa.example.org';

describeEachDatabase('contribution commands', (get) => {
  let fx: ContributionFixture;
  let pre: ContributionFixture;
  before(async () => {
    fx = await insertContributionFixture(get().db, { flagThreshold: 3 });
    pre = await insertContributionFixture(get().db, { slug: 'prizren', moderation: 'pre' });
  });

  const input = (email: string, consultationId = fx.open.id, extra: Partial<ContributionInput> = {}): ContributionInput => ({
    consultationId,
    parentId: null,
    kind: 'comment',
    authorName: 'Vjosa',
    email,
    body: 'A comment',
    theme: '',
    ogpValue: '',
    consent: true,
    locale: 'en',
    ...extra,
  });

  async function tokenFor(email: string): Promise<string> {
    const mail = await get().db.selectFrom('mail_outbox').select('text_body').where('to_address', '=', email).orderBy('id', 'desc').executeTakeFirstOrThrow();
    return /\/contributions\/confirm\/([A-Za-z0-9_-]+)/.exec(mail.text_body)![1]!;
  }

  test('parallel confirmations publish exactly once', async () => {
    const { db } = get();
    const before = await readContentVersion(db);
    const { id } = await submitContribution(db, input('parallel@example.org'), { publicUrl: PUBLIC_URL, ip: '192.0.2.1' });
    assert.equal(await readContentVersion(db), before, 'an unconfirmed contribution leaves the cached public pages alone');
    const token = await tokenFor('parallel@example.org');
    const results = await Promise.all(Array.from({ length: 8 }, () => confirmContribution(db, token, PUBLIC_URL)));
    assert.equal(results.filter((r) => r.state === 'published').length, 1);
    assert.equal(results.filter((r) => r.state === 'already').length, 7);
    assert.ok((await readContentVersion(db)) > before, 'the published contribution renews the cached pages');
    const events = await db.selectFrom('audit_events').select('id').where('action', '=', 'contribution.confirmed').where('entity_id', '=', id).execute();
    assert.equal(events.length, 1);
  });

  test('once the response table is published, a confirmation adds nothing (reason: responded); before that, after closing, it still publishes', async () => {
    const { db } = get();
    const late = await insertContributionFixture(db, { slug: 'peja' });
    await submitContribution(db, input('closing@example.org', late.open.id), { publicUrl: PUBLIC_URL, ip: '192.0.2.40' });
    await submitContribution(db, input('too-late@example.org', late.open.id), { publicUrl: PUBLIC_URL, ip: '192.0.2.41' });
    // Closed (its last day was long ago), table not published: sent while open, so it is published.
    await pdb(db).updateTable('consultations').set({ closes_on: '2001-01-01' }).where('id', '=', late.open.id).execute();
    assert.equal((await confirmContribution(db, await tokenFor('closing@example.org'), PUBLIC_URL)).state, 'published');
    await pdb(db).updateTable('consultations').set({ responded_at: new Date().toISOString() }).where('id', '=', late.open.id).execute();
    const token = await tokenFor('too-late@example.org');
    assert.deepEqual(await findConfirmation(db, token), { state: 'invalid', reason: 'responded' });
    assert.deepEqual(await confirmContribution(db, token, PUBLIC_URL), { state: 'invalid', reason: 'responded' });
    const row = await pdb(db).selectFrom('contributions').select(['status', 'confirmed_at', 'published_at']).where('email', '=', 'too-late@example.org').executeTakeFirstOrThrow();
    assert.deepEqual(row, { status: 'unconfirmed', confirmed_at: null, published_at: null });
    // The one confirmed before keeps working as "already confirmed".
    assert.equal((await confirmContribution(db, await tokenFor('closing@example.org'), PUBLIC_URL)).state, 'already');
  });

  test('pre-moderation: a confirmed contribution waits for a moderator', async () => {
    const { db } = get();
    const { id } = await submitContribution(db, input('premod@example.org', pre.open.id), { publicUrl: PUBLIC_URL, ip: '192.0.2.2' });
    const result = await confirmContribution(db, await tokenFor('premod@example.org'), PUBLIC_URL);
    assert.equal(result.state, 'pending');
    const row = await pdb(db).selectFrom('contributions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.status, 'pending');
    assert.equal(row.published_at, null);
  });

  test('closed and announced consultations take nothing; invalid input is refused with its fields', async () => {
    const { db } = get();
    await assert.rejects(submitContribution(db, input('closed@example.org', fx.closed.id), { publicUrl: PUBLIC_URL, ip: '192.0.2.3' }), ContributionClosedError);
    await assert.rejects(submitContribution(db, input('closed@example.org', fx.announced.id), { publicUrl: PUBLIC_URL, ip: '192.0.2.3' }), ContributionClosedError);
    await assert.rejects(
      submitContribution(db, input('', fx.open.id, { authorName: ' ', body: 'y'.repeat(5001), consent: false, kind: 'proposal' }), { publicUrl: PUBLIC_URL, ip: '192.0.2.3' }),
      (error: unknown) => {
        assert.ok(error instanceof ContributionInputError);
        assert.deepEqual(error.errors.list.map((e) => e.field).sort(), ['author_name', 'body', 'consent', 'email', 'theme']);
        return true;
      },
    );
    const errors = new FormErrors();
    errors.add('body', 'form.error.character');
    await assert.rejects(submitContribution(db, input('char@example.org', fx.open.id, { formErrors: errors }), { publicUrl: PUBLIC_URL, ip: '192.0.2.3' }), ContributionInputError);
    assert.equal((await pdb(db).selectFrom('contributions').select('id').where('email', 'in', ['closed@example.org', 'char@example.org']).execute()).length, 0);
  });

  test('parallel submissions from one address never get past the limit', async () => {
    const { db } = get();
    const outcomes = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => submitContribution(db, input('burst@example.org'), { publicUrl: PUBLIC_URL, ip: `198.51.100.${i + 1}` })));
    assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 5);
    assert.ok(outcomes.filter((o) => o.status === 'rejected').every((o) => (o as PromiseRejectedResult).reason instanceof RateLimitedError));
    assert.equal((await pdb(db).selectFrom('contributions').select('id').where('email', '=', 'burst@example.org').execute()).length, 5);
  });

  test('flags: the threshold puts a published contribution before the moderators', async () => {
    const { db } = get();
    await submitContribution(db, input('target@example.org'), { publicUrl: PUBLIC_URL, ip: '192.0.2.10' });
    const confirmed = await confirmContribution(db, await tokenFor('target@example.org'), PUBLIC_URL);
    assert.equal(confirmed.state, 'published');
    const id = confirmed.state === 'published' ? confirmed.contributionId : 0;
    const flag = (ip: string) => flagContribution(db, { contributionId: id, consultationId: fx.open.id, reason: 'spam', details: '', ip }, PUBLIC_URL);
    assert.equal(await flag('203.0.113.1'), 'flagged');
    assert.equal(await flag('203.0.113.1'), 'already');
    assert.equal(await flag('203.0.113.2'), 'flagged');
    assert.equal(await flag('203.0.113.3'), 'hidden');
    const row = await pdb(db).selectFrom('contributions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.status, 'pending');
    assert.equal(row.flag_count, 3);
    await assert.rejects(flagContribution(db, { contributionId: id, consultationId: fx.open.id, reason: 'nonsense', details: '', ip: '203.0.113.4' }, PUBLIC_URL), ContributionInputError);
  });

  test('address hashes and erasure links: keyed, hashed, one-time', async () => {
    const { db } = get();
    const a = await addressHash(db, ' Someone@Example.org ');
    assert.equal(a, await addressHash(db, 'someone@example.org'));
    assert.notEqual(a, await addressHash(db, 'someone.else@example.org'));
    assert.ok(!a.includes('someone'));
    const link = await erasureLink(db, 'someone@example.org', PUBLIC_URL, 'fr');
    const token = link.split('/').at(-1)!;
    assert.ok(link.startsWith(`${PUBLIC_URL}/fr/privacy/erase/`));
    const stored = await pdb(db).selectFrom('erasure_links').selectAll().execute();
    assert.ok(!JSON.stringify(stored).includes(token) && !JSON.stringify(stored).includes('someone'));
    assert.equal((await findErasureLink(db, token))?.emailHash, a);
    assert.ok(await eraseByLink(db, token));
    assert.equal(await eraseByLink(db, token), undefined, 'used');
    assert.equal(await findErasureLink(db, 'x'.repeat(300)), undefined);
  });

  test('demonstration contributions are labelled; recent changes and search name no one', async () => {
    const { db } = get();
    const demo = await insertContributionFixture(db, { slug: 'demo-town', isDemo: true });
    await submitContribution(db, input('demo.person@example.org', demo.open.id, { authorName: 'Demo Person', body: 'Demonstration text' }), { publicUrl: PUBLIC_URL, ip: '192.0.2.30' });
    await submitContribution(db, input('demo.proposer@example.org', demo.open.id, { kind: 'proposal', theme: 'Open budgets', ogpValue: 'public_accountability', authorName: 'Proposer' }), { publicUrl: PUBLIC_URL, ip: '192.0.2.31' });
    await confirmContribution(db, await tokenFor('demo.person@example.org'), PUBLIC_URL);
    await confirmContribution(db, await tokenFor('demo.proposer@example.org'), PUBLIC_URL);
    const consultation = (await findConsultationById(db, demo.open.id))!;
    const thread = await loadContributionThread(db, consultation);
    assert.equal(thread.count, 2);
    for (const locale of ['en', 'sq', 'sr-Latn', 'sr-Cyrl', 'fr'] as const) {
      const t = translator(locale);
      const html = (await ContributionsSection({ ctx: { locale, t, path: '/' }, consultation, thread, open: false })) as string;
      assert.ok(html.includes(t('ui.demo.tag')), `${locale}: labelled as demonstration`);
      assert.ok(html.includes(t('domain.ogpValue.public_accountability')) && html.includes('Open budgets'), `${locale}: the proposal's theme and value`);
      assert.ok(!html.includes('contribute?'), `${locale}: no reply link while closed`);
      assert.ok(!html.includes('@example.org'));
    }
    const recent = await contributionRecent.recent(db, demo.jurisdictionId, 10);
    assert.equal(recent.length, 2);
    assert.ok(recent.every((r) => r.isDemo && r.path.startsWith('/demo-town/consultations/open-call#contribution-')));
    assert.match(recent[0]!.line({ locale: 'en', t: translator('en'), path: '/' }), /^new (comment|proposal), published on /);
    const docs = await contributionSearch.documents(db, { id: demo.jurisdictionId, slug: 'demo-town' }, (...v) => v.filter(Boolean).join(' '));
    assert.equal(docs.length, 2);
    assert.ok(docs.every((d) => d.is_demo === 1 && !d.body.includes('Demo Person') && !d.body.includes('@')));
  });

  test('pruning deletes expired unconfirmed contributions, ended buckets, old keys and expired links', async () => {
    const { db } = get();
    await submitContribution(db, input('expired@example.org'), { publicUrl: PUBLIC_URL, ip: '192.0.2.20' });
    await submitContribution(db, input('fresh@example.org'), { publicUrl: PUBLIC_URL, ip: '192.0.2.21' });
    const later = new Date(Date.now() + 49 * 3_600_000);
    await pdb(db).updateTable('contributions').set({ confirm_expires_at: new Date(Date.now() - 1000).toISOString() }).where('email', '=', 'expired@example.org').execute();
    await pdb(db).insertInto('participation_keys').values({ secret: 'old', created_at: '2000-01-01T00:00:00.000Z' }).execute();
    await pdb(db).insertInto('erasure_links').values({ token_hash: 'old-link', email_hash: 'h', expires_at: '2000-01-01T00:00:00.000Z', created_at: '2000-01-01T00:00:00.000Z' }).execute();
    const now = new Date();
    const counts = await pruneParticipation(db, now);
    assert.equal(counts.unconfirmedContributions, 1);
    assert.ok(counts.rateLimitKeys! >= 1);
    assert.ok(counts.erasureLinks! >= 1);
    assert.equal((await pdb(db).selectFrom('contributions').select('id').where('email', '=', 'expired@example.org').execute()).length, 0);
    assert.equal((await pdb(db).selectFrom('contributions').select('id').where('email', '=', 'fresh@example.org').execute()).length, 1, 'a live link is kept');
    assert.ok(await admitContribution(db, 'after-prune@example.org', '192.0.2.22', now), 'limits still work with today’s key');
    const afterWindow = await pruneParticipation(db, later);
    assert.ok(afterWindow.rateLimitBuckets! > 0, 'ended windows are deleted');
    assert.equal((await pdb(db).selectFrom('participation_buckets').select('key_hash').execute()).length, 0);
    assert.equal(afterWindow.unconfirmedContributions, (await pdb(db).selectFrom('contributions').select('id').where('status', '=', 'unconfirmed').execute()).length === 0 ? afterWindow.unconfirmedContributions : -1);
  });
});
