import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { sql } from 'kysely';
import { describeEachDatabase } from '../../../test/db.js';
import { requestSubscription } from '../subscriptions/commands.js';
import { pruneSubscriptions } from '../subscriptions/deliver.js';
import { confirmContribution, submitContribution, type ContributionInput } from './contribution-commands.js';
import { insertContributionFixture, type ContributionFixture } from '../../../test/contribution-fixture.js';
import { pruneParticipation } from './contribution-prune.js';
import { eraseByLink } from './privacy-erase.js';
import { erasureLink } from './privacy.js';
import { pdb } from './tables.js';

/**
 * The mail outbox forgets an address with participation, on both databases: the erasure deletes
 * every message to the address (queued, failed or sent, whatever the case of the letters), and the
 * pruning of expired unconfirmed contributions and subscriptions deletes the messages to their
 * addresses unless Besa still holds the address (an account, a contribution, a subscription).
 */

const PUBLIC_URL = 'https://besa.example.org';

describeEachDatabase('participation and the mail outbox', (get) => {
  let fx: ContributionFixture;
  let ip = 0;
  before(async () => {
    fx = await insertContributionFixture(get().db, { slug: 'outbox-town' });
  });

  const input = (email: string): ContributionInput => ({
    consultationId: fx.open.id,
    parentId: null,
    kind: 'comment',
    authorName: 'Vjosa',
    email,
    body: 'A comment',
    theme: '',
    ogpValue: '',
    consent: true,
    locale: 'en',
  });
  const contribute = (email: string) => submitContribution(get().db, input(email), { publicUrl: PUBLIC_URL, ip: `192.0.2.${++ip}` });
  const subscribe = (email: string) =>
    requestSubscription(get().db, { topic: { type: 'consultation', id: fx.open.id }, email, frequency: 'daily', locale: 'en', clientIp: `198.51.100.${++ip}` }, { publicUrl: PUBLIC_URL });
  const mailTo = async (email: string) =>
    (await get().db.selectFrom('mail_outbox').select(['status', 'text_body']).where(sql<string>`lower(trim(to_address))`, '=', email.toLowerCase()).execute());
  const addUser = (email: string) =>
    get().db.insertInto('users').values({ email, display_name: email, password_hash: 'x', created_at: new Date().toISOString() } as never).execute();
  const expire = (email: string) =>
    pdb(get().db).updateTable('contributions').set({ confirm_expires_at: new Date(Date.now() - 1000).toISOString() }).where('email', '=', email).where('status', '=', 'unconfirmed').execute();

  test('erasure deletes every message to the address: queued, failed and sent, in any case of letters', async () => {
    const { db } = get();
    await contribute('Erase.Me@example.org');
    const mail = await db.selectFrom('mail_outbox').select(['id', 'text_body']).where('to_address', '=', 'Erase.Me@example.org').executeTakeFirstOrThrow();
    const token = /\/contributions\/confirm\/([A-Za-z0-9_-]+)/.exec(mail.text_body)![1]!;
    assert.equal((await confirmContribution(db, token, PUBLIC_URL)).state, 'published');
    await db.updateTable('mail_outbox').set({ status: 'sent', sent_at: new Date().toISOString() }).where('id', '=', mail.id).execute();
    await contribute('erase.me@example.org');
    assert.equal(await subscribe('ERASE.ME@example.org'), 'sent');
    await db.updateTable('mail_outbox').set({ status: 'failed' }).where('to_address', '=', 'ERASE.ME@example.org').execute();
    await contribute('someone.else@example.org');
    const before = await mailTo('erase.me@example.org');
    assert.ok(before.length >= 3 && new Set(before.map((m) => m.status)).size === 3, JSON.stringify(before.map((m) => m.status)));

    const link = await erasureLink(db, 'erase.me@example.org', PUBLIC_URL, 'en');
    const result = await eraseByLink(db, link.split('/').pop()!);
    assert.ok(result);
    assert.equal(result.messages, before.length);
    assert.deepEqual(await mailTo('erase.me@example.org'), [], 'nothing to the address is kept, nothing queued is sent');
    assert.equal((await mailTo('someone.else@example.org')).length, 1, 'other people’s messages stay');
  });

  test('pruning expired contributions deletes the messages to addresses Besa no longer holds, never an account holder’s', async () => {
    const { db } = get();
    for (const email of ['gone@example.org', 'holder@example.org', 'twice@example.org', 'subscriber@example.org']) await contribute(email);
    await addUser('Holder@Example.org');
    await contribute('twice@example.org');
    assert.equal(await subscribe('subscriber@example.org'), 'sent');
    for (const email of ['gone@example.org', 'holder@example.org', 'subscriber@example.org']) await expire(email);
    await pdb(db)
      .updateTable('contributions')
      .set({ confirm_expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('id', '=', (await pdb(db).selectFrom('contributions').select('id').where('email', '=', 'twice@example.org').orderBy('id').executeTakeFirstOrThrow()).id)
      .execute();

    const counts = await pruneParticipation(db, new Date());
    assert.equal(counts.unconfirmedContributions, 4);
    assert.equal(counts.messagesToDeletedAddresses, 1);
    assert.deepEqual(await mailTo('gone@example.org'), [], 'deleted with its address');
    assert.equal((await mailTo('holder@example.org')).length, 1, 'an account holder’s mail is never deleted');
    assert.equal((await mailTo('twice@example.org')).length, 2, 'still waiting for another confirmation');
    assert.equal((await mailTo('subscriber@example.org')).length, 2, 'still held by a subscription');
  });

  test('pruning expired subscriptions deletes the messages to addresses Besa no longer holds', async () => {
    const { db } = get();
    assert.equal(await subscribe('sub.gone@example.org'), 'sent');
    assert.equal(await subscribe('sub.holder@example.org'), 'sent');
    await addUser('sub.holder@example.org');
    assert.equal((await mailTo('sub.gone@example.org')).length, 1);
    const later = new Date(Date.now() + 50 * 3_600_000);
    const pruned = await pruneSubscriptions(db, later);
    assert.ok(pruned.unconfirmed >= 3);
    assert.deepEqual(await mailTo('sub.gone@example.org'), []);
    assert.deepEqual(await mailTo('subscriber@example.org'), [], 'its contribution and its subscription are both gone now');
    assert.equal((await mailTo('sub.holder@example.org')).length, 1, 'an account holder’s mail is never deleted');
    assert.equal((await mailTo('twice@example.org')).length, 2);
  });
});
