import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { describeEachDatabase } from '../../../test/db.js';
import { insertReportingFixture, type ReportingFixture } from '../../../test/reporting-fixture.js';
import { generateCycles, publishProgressUpdate, returnProgressUpdate, saveProgressUpdate, type UpdateInput } from './commands.js';
import { listCycles } from './repository.js';
import { rdb } from './tables.js';

/**
 * Issue 9, part 7: a submitted update is e-mailed to the jurisdiction's coordinators; a returned
 * or published one to the lead institution's commitment holders; each in their own language, and
 * no one else.
 */
describeEachDatabase('progress update review e-mails', (get) => {
  let f: ReportingFixture;
  let cycleId: number;
  const MAIL = { publicUrl: 'https://besa.example.org/', locale: 'en' as const };

  async function person(email: string, locale: string | null, roles: { role: string; jurisdiction_id: number | null; institution_id: number | null }[], disabled = false) {
    const row = await get()
      .db.insertInto('users')
      .values({ email, display_name: email.split('@')[0]!, password_hash: 'x', created_at: new Date().toISOString(), locale, disabled_at: disabled ? new Date().toISOString() : null })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const r of roles) await get().db.insertInto('user_roles').values({ user_id: row.id, ...r }).execute();
  }

  let seen = 0;
  /** The messages queued since the last call. */
  async function newMail() {
    const rows = await get().db.selectFrom('mail_outbox').selectAll().where('id', '>', seen).orderBy('id').execute();
    if (rows.length) seen = rows[rows.length - 1]!.id;
    return rows;
  }

  function update(submit: boolean): UpdateInput {
    return {
      cycleId,
      commitmentId: f.commitmentId,
      locale: 'en',
      summary: 'Budget published monthly.',
      items: f.milestoneIds.map((milestoneId) => ({ milestoneId, status: 'in_progress', completion: 'limited', narrative: 'Work started.', obstacles: [], obstacleNote: '', links: [] })),
      files: [],
      removeFileIds: [],
      submit,
      formToken: null,
    };
  }

  before(async () => {
    const { db } = get();
    f = await insertReportingFixture(db);
    // Languages: the coordinator reads Albanian, the holder French.
    await db.updateTable('users').set({ locale: 'sq' }).where('id', '=', f.users.coordinator).execute();
    await db.updateTable('users').set({ locale: 'fr' }).where('id', '=', f.users.holder).execute();
    // A second holder of the lead institution without a language of their own (the page's is used).
    await person('second.holder@gjakova.example.org', null, [{ role: 'commitment_holder', jurisdiction_id: f.jurisdictionId, institution_id: f.leadId }]);
    // Not to be told: a removed coordinator, and a coordinator of another jurisdiction.
    await person('removed.coordinator@gjakova.example.org', 'en', [{ role: 'coordinator', jurisdiction_id: f.jurisdictionId, institution_id: null }], true);
    const prizren = await insertReportingFixture(db, 'prizren');
    assert.ok(prizren.users.coordinator);
    await generateCycles(db, f.actors.coordinator, f.planId);
    cycleId = (await listCycles(db, f.planId))[0]!.id;
    await newMail();
  });

  test('a draft tells no one; a submitted update is e-mailed to the jurisdiction’s coordinators, in their language, with the review link', async () => {
    const { db } = get();
    await saveProgressUpdate(db, f.actors.holder, update(false), MAIL);
    assert.deepEqual(await newMail(), []);
    await saveProgressUpdate(db, f.actors.holder, update(true), MAIL);
    const mail = await newMail();
    assert.deepEqual(
      mail.map((m) => m.to_address),
      ['coordinator@gjakova.example.org'],
    );
    const [m] = mail;
    assert.equal(m!.subject, 'Raport progresi për shqyrtim: XKGJA0001');
    assert.match(m!.text_body, /Raporti i progresit për zotimin XKGJA0001 \(Buxhet i hapur\), Cikli 1, u dorëzua nga holder\./);
    assert.match(m!.text_body, /https:\/\/besa\.example\.org\/sq\/admin\/jurisdictions\/gjakova\/plans\/2024-2025\/cycles\/1\/updates\/XKGJA0001\n/);
    assert.match(m!.html_body ?? '', /<html lang="sq"/);
  });

  test('a returned update is e-mailed to the lead institution’s holders with the reason, each in their language', async () => {
    const { db } = get();
    const submitted = await rdb(db).selectFrom('progress_updates').select('id').where('cycle_id', '=', cycleId).executeTakeFirstOrThrow();
    await returnProgressUpdate(db, f.actors.coordinator, { updateId: submitted.id, comment: 'Please add the minutes <of the meeting> & the photos.' }, MAIL);
    const mail = await newMail();
    assert.deepEqual(mail.map((m) => m.to_address).sort(), ['holder@gjakova.example.org', 'second.holder@gjakova.example.org']);
    const fr = mail.find((m) => m.to_address === 'holder@gjakova.example.org')!;
    assert.equal(fr.subject, 'Rapport d’avancement renvoyé : XKGJA0001');
    assert.match(fr.text_body, /renvoyé par coordinator avec ce commentaire :\n\nPlease add the minutes <of the meeting> & the photos\./);
    assert.match(fr.text_body, /https:\/\/besa\.example\.org\/fr\/admin\/jurisdictions\/gjakova\/plans\/2024-2025\/cycles\/1\/updates\/XKGJA0001/);
    assert.match(fr.html_body ?? '', /Please add the minutes &lt;of the meeting(>|&gt;) &amp; the photos\./);
    const en = mail.find((m) => m.to_address === 'second.holder@gjakova.example.org')!;
    assert.equal(en.subject, 'Progress update returned: XKGJA0001');
    assert.match(en.html_body ?? '', /<html lang="en"/);
  });

  test('a published update: the holders are told it is public, with the link to the public page', async () => {
    const { db } = get();
    await saveProgressUpdate(db, f.actors.holder, update(true), MAIL);
    assert.deepEqual((await newMail()).map((m) => m.to_address), ['coordinator@gjakova.example.org']);
    const submitted = await rdb(db).selectFrom('progress_updates').select('id').where('cycle_id', '=', cycleId).executeTakeFirstOrThrow();
    await publishProgressUpdate(db, f.actors.coordinator, { updateId: submitted.id }, MAIL);
    const mail = await newMail();
    assert.deepEqual(mail.map((m) => m.to_address).sort(), ['holder@gjakova.example.org', 'second.holder@gjakova.example.org']);
    const fr = mail.find((m) => m.to_address === 'holder@gjakova.example.org')!;
    assert.equal(fr.subject, 'Rapport d’avancement publié : XKGJA0001');
    assert.ok(fr.text_body.includes(`https://besa.example.org/fr/gjakova/plans/2024-2025/commitments/XKGJA0001#update-${submitted.id}`), fr.text_body);
    // Nobody else: not the supporting institution's holder, the administrator, or the other jurisdiction.
    const all = await db.selectFrom('mail_outbox').select('to_address').execute();
    for (const m of all) assert.doesNotMatch(m.to_address, /^(other|admin|removed\.coordinator)@|prizren/, m.to_address);
  });

  test('a person acting on their own update is not e-mailed about it', async () => {
    const { db } = get();
    // The coordinator, also a holder of the lead institution, files and submits the next cycle’s update.
    await db.insertInto('user_roles').values({ user_id: f.users.coordinator, role: 'commitment_holder', jurisdiction_id: f.jurisdictionId, institution_id: f.leadId }).execute();
    const { actorOf } = await import('../../../test/reporting-fixture.js');
    const both = await actorOf(db, f.users.coordinator, f.jurisdictionId);
    const cycle2 = (await listCycles(db, f.planId))[1]!.id;
    await saveProgressUpdate(db, both, { ...update(true), cycleId: cycle2 }, MAIL);
    assert.deepEqual(await newMail(), []);
  });
  test('a jurisdiction without an active coordinator: its administrators are asked to review', async () => {
    const { db } = get();
    const peja = await insertReportingFixture(db, 'peja');
    await db.updateTable('users').set({ disabled_at: new Date().toISOString() }).where('id', '=', peja.users.coordinator).execute();
    await generateCycles(db, peja.actors.admin, peja.planId);
    const pejaCycle = (await listCycles(db, peja.planId))[0]!.id;
    await newMail();
    const input = { ...update(true), cycleId: pejaCycle, commitmentId: peja.commitmentId, items: peja.milestoneIds.map((milestoneId) => ({ ...update(true).items[0]!, milestoneId })) };
    await saveProgressUpdate(db, peja.actors.holder, input, MAIL);
    const to = (await newMail()).map((m) => m.to_address);
    // Every administrator who may publish there (the fixtures' administrators hold the role everywhere).
    assert.ok(to.includes('admin@peja.example.org'), to.join(', '));
    assert.ok(!to.some((a) => /coordinator|holder|other/.test(a)), to.join(', '));
  });
});
