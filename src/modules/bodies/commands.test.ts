import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { describeEachDatabase } from '../../../test/db.js';
import { insertReportingFixture } from '../../../test/reporting-fixture.js';
import { foldForSearch } from '../../lib/fold.js';
import { ForbiddenError, SYSTEM, type Actor } from '../audit/index.js';
import { addBodyMember, BodiesInputError, createBody, removeBodyMember, updateBody, updateBodyMember, type MemberInput } from './commands.js';
import { evaluateRules, isCurrent, type MemberFacts } from './domain.js';
import { listPublicMembers } from './queries.js';
import { bodiesHistory, bodyDocuments } from './search.js';

/** Commands of bodies and members on both databases: validation, roles, consent and the privacy of names and e-mail addresses. */

const EMAIL = 'private.member@example.org';
const NAME = 'Drita Example';

const member = (over: Partial<MemberInput> = {}): MemberInput => ({
  locale: 'en',
  organisation: 'Youth Network',
  personName: '',
  nameConsent: false,
  email: '',
  sector: 'civil_society',
  representedGroups: ['youth'],
  role: 'member',
  termStart: null,
  termEnd: null,
  ...over,
});

const body = (slug: string, over: Record<string, unknown> = {}) => ({
  kind: 'monitoring_body',
  parentId: null,
  slug,
  locale: 'en' as const,
  texts: { name: 'Monitoring body', mandate: 'Reviews progress.', rules: 'Meets every two to three months.' },
  compositionRules: ['civil_society_majority'],
  meetsEveryDays: 92,
  establishedOn: null,
  ...over,
});

function fieldsOf(error: unknown): string[] {
  assert.ok(error instanceof BodiesInputError, String(error));
  return error.errors.list.map((e) => e.field);
}

describeEachDatabase('bodies: commands', (get) => {
  let jurisdictionId = 0;
  let secretary: Actor;
  let holder: Actor;

  test('fixture', async () => {
    const f = await insertReportingFixture(get().db, 'gjakova');
    jurisdictionId = f.jurisdictionId;
    secretary = { userId: null, role: 'forum_secretary', roles: [{ role: 'forum_secretary', jurisdictionId, institutionId: null }] };
    holder = f.actors.holder;
  });

  test('a body is refused with field errors: missing name and kind, bad slug, a working group without its forum, a rhythm out of range', async () => {
    const { db } = get();
    await assert.rejects(
      createBody(db, secretary, { ...body('Bad Slug!'), kind: '', texts: { name: '' }, jurisdictionId }),
      (e) => {
        assert.deepEqual(fieldsOf(e).sort(), ['kind', 'name', 'slug']);
        return true;
      },
    );
    await assert.rejects(createBody(db, secretary, { ...body('wg'), kind: 'working_group', jurisdictionId }), (e) => fieldsOf(e).includes('parent_id'));
    await assert.rejects(createBody(db, secretary, { ...body('rhythm'), meetsEveryDays: 0, jurisdictionId }), (e) => fieldsOf(e).includes('meets_every_days'));
    await assert.rejects(createBody(db, secretary, { ...body('rules'), compositionRules: ['quorum'], jurisdictionId }), (e) => fieldsOf(e).includes('composition_rules'));
    await assert.rejects(createBody(db, secretary, { ...body('date'), establishedOn: '2023-02-30', jurisdictionId }), (e) => fieldsOf(e).includes('established_on'));
  });

  test('only administrators, coordinators and forum secretaries of the jurisdiction create bodies', async () => {
    await assert.rejects(createBody(get().db, holder, { ...body('by-holder'), jurisdictionId }), ForbiddenError);
    const other: Actor = { userId: null, role: 'forum_secretary', roles: [{ role: 'forum_secretary', jurisdictionId: jurisdictionId + 1000, institutionId: null }] };
    await assert.rejects(createBody(get().db, other, { ...body('elsewhere'), jurisdictionId }), ForbiddenError);
  });

  test('a forum, a working group under it, a taken slug, and an edit in another language keeping the first', async () => {
    const { db } = get();
    const forum = await createBody(db, secretary, { ...body('forum'), kind: 'forum', texts: { name: 'Transparency Forum' }, compositionRules: ['represents_all_groups'], jurisdictionId });
    const group = await createBody(db, secretary, { ...body('digital'), kind: 'working_group', parentId: forum.id, texts: { name: 'Digital services' }, jurisdictionId });
    const row = await db.selectFrom('bodies' as never).select(['parent_id' as never]).where('id' as never, '=', group.id as never).executeTakeFirstOrThrow();
    assert.equal(Number((row as { parent_id: number }).parent_id), forum.id);
    await assert.rejects(createBody(db, secretary, { ...body('forum'), jurisdictionId }), (e) => fieldsOf(e).includes('slug'));
    // A forum with working groups stays a forum.
    await assert.rejects(updateBody(db, secretary, { ...body('forum'), kind: 'monitoring_body', texts: {}, bodyId: forum.id }), (e) => fieldsOf(e).includes('kind'));
    await updateBody(db, secretary, { ...body('forum'), kind: 'forum', locale: 'fr', texts: { name: 'Forum pour la transparence' }, compositionRules: ['represents_all_groups'], bodyId: forum.id });
    const saved = await sql<{ name: string }>`select name from bodies where id = ${forum.id}`.execute(db);
    assert.deepEqual(JSON.parse(saved.rows[0]!.name), { en: 'Transparency Forum', fr: 'Forum pour la transparence' });
  });

  test('a member is refused without organisation or name, with a bad e-mail address, a wrong choice or terms in the wrong order', async () => {
    const { db } = get();
    const { id } = await createBody(db, secretary, { ...body('refusals'), jurisdictionId });
    await assert.rejects(addBodyMember(db, secretary, { ...member({ organisation: '', email: 'not-an-address', sector: 'church', role: '' }), bodyId: id }), (e) => {
      assert.deepEqual(fieldsOf(e).sort(), ['email', 'organisation', 'role', 'sector']);
      return true;
    });
    await assert.rejects(addBodyMember(db, secretary, { ...member({ representedGroups: ['youth', 'elders'], termStart: '2025-05-01', termEnd: '2025-04-01' }), bodyId: id }), (e) => {
      assert.deepEqual(fieldsOf(e).sort(), ['represented_groups', 'term_end']);
      return true;
    });
    await assert.rejects(addBodyMember(db, secretary, { ...member({ nameConsent: true }), bodyId: id }), (e) => fieldsOf(e).includes('name_consent'));
    await assert.rejects(addBodyMember(db, holder, { ...member(), bodyId: id }), ForbiddenError);
  });

  test('a name without consent and every e-mail address stay out of the log, the public members, the search documents and the history', async () => {
    const { db } = get();
    const { id } = await createBody(db, secretary, { ...body('privacy'), jurisdictionId });
    const before = Number((await sql<{ n: number }>`select count(*) as n from transparency_entries`.execute(db)).rows[0]!.n);
    const added = await addBodyMember(db, secretary, { ...member({ personName: NAME, email: EMAIL }), bodyId: id });

    const entries = async () => (await sql<{ summary: string; entity_type: string }>`select summary, entity_type from transparency_entries where leaf_index >= ${before}`.execute(db)).rows;
    const logged = await entries();
    assert.equal(logged.length, 1);
    assert.equal(logged[0]!.entity_type, 'body_member');
    assert.ok(!logged[0]!.summary.includes(NAME), 'no name without consent');
    assert.ok(!logged[0]!.summary.includes(EMAIL), 'no e-mail address');
    assert.ok(logged[0]!.summary.includes('Youth Network'));

    let publicMembers = (await listPublicMembers(db, [id])).get(id)!;
    assert.equal(publicMembers[0]!.personName, null);
    assert.ok(!JSON.stringify(publicMembers).includes(EMAIL));
    const fold = (...values: (string | null | undefined)[]) => foldForSearch(values.filter(Boolean).join(' '));
    let docs = await bodyDocuments(db, { id: jurisdictionId, slug: 'gjakova' }, fold);
    let doc = docs.find((d) => d.doc_key === `body:${id}`)!;
    assert.ok(doc.body.includes(foldForSearch('Youth Network')));
    assert.ok(!doc.body.includes(foldForSearch(NAME)) && !doc.body.includes(foldForSearch(EMAIL)));

    // Consent recorded: the name shows on the public page and in search; the log says a person is
    // named, never the name (consent can be withdrawn, the log cannot forget); never the e-mail.
    await updateBodyMember(db, secretary, { ...member({ personName: NAME, nameConsent: true, email: EMAIL }), memberId: added.id });
    const afterConsent = await entries();
    assert.equal(afterConsent.length, 2);
    assert.ok(afterConsent.every((e) => !e.summary.includes(NAME)));
    assert.equal(JSON.parse(afterConsent[1]!.summary).values.named_person, true);
    assert.ok(afterConsent.every((e) => !e.summary.includes(EMAIL)));
    publicMembers = (await listPublicMembers(db, [id])).get(id)!;
    assert.equal(publicMembers[0]!.personName, NAME);
    docs = await bodyDocuments(db, { id: jurisdictionId, slug: 'gjakova' }, fold);
    doc = docs.find((d) => d.doc_key === `body:${id}`)!;
    assert.ok(doc.body.includes(foldForSearch(NAME)));

    // A change of the e-mail address only is not published.
    await updateBodyMember(db, secretary, { ...member({ personName: NAME, nameConsent: true, email: 'other.address@example.org' }), memberId: added.id });
    assert.equal((await entries()).length, 2);

    // Consent withdrawn: the name leaves the public members again.
    await updateBodyMember(db, secretary, { ...member({ personName: NAME, nameConsent: false }), memberId: added.id });
    publicMembers = (await listPublicMembers(db, [id])).get(id)!;
    assert.equal(publicMembers[0]!.personName, null);
    const withdrawn = (await entries()).at(-1)!;
    assert.deepEqual(JSON.parse(withdrawn.summary).values.named_person, false);

    // The history finds the member, also once removed.
    const locate = bodiesHistory.find((h) => h.kind === 'body_member')!.locate;
    assert.equal((await locate(db, added.id))?.jurisdictionSlug, 'gjakova');
    await removeBodyMember(db, secretary, { memberId: added.id });
    assert.equal((await listPublicMembers(db, [id])).get(id)!.length, 0);
    assert.equal((await locate(db, added.id))?.jurisdictionSlug, 'gjakova');
    assert.equal((await bodiesHistory.find((h) => h.kind === 'body')!.locate(db, id))?.isDemo, false);
    const all = (await sql<{ summary: string }>`select summary from transparency_entries`.execute(db)).rows;
    assert.ok(all.every((e) => !e.summary.includes(EMAIL) && !e.summary.includes('other.address@example.org')));
  });

  test('the system (seeds, jobs) may act too', async () => {
    const created = await createBody(get().db, SYSTEM, { ...body('by-system'), jurisdictionId });
    assert.ok(created.id > 0);
  });
});

const m = (sector: string, role = 'member', groups: string[] = [], termStart: string | null = null, termEnd: string | null = null): MemberFacts => ({
  sector,
  role,
  representedGroups: groups,
  termStart,
  termEnd,
});

test('civil-society majority: more than half of the current voting members; observers and past members do not count', () => {
  const today = '2025-06-15';
  const verdict = (members: MemberFacts[]) => evaluateRules(['civil_society_majority'], members, today)[0]!;
  // 3 of 5 voting: met.
  let v = verdict([m('civil_society', 'chair'), m('civil_society'), m('civil_society'), m('political_party'), m('executive', 'secretary')]);
  assert.deepEqual([v.met, v.count, v.total], [true, 3, 5]);
  // 2 of 4: exactly half is not a majority.
  v = verdict([m('civil_society'), m('civil_society'), m('political_party'), m('executive')]);
  assert.deepEqual([v.met, v.count, v.total], [false, 2, 4]);
  // A civil-society observer does not vote; an executive observer does not count against.
  v = verdict([m('civil_society'), m('executive'), m('civil_society', 'observer'), m('executive', 'observer')]);
  assert.deepEqual([v.met, v.count, v.total], [false, 1, 2]);
  // Terms: ended yesterday and starting tomorrow are not current; ending today and open terms are.
  v = verdict([m('civil_society', 'member', [], null, '2025-06-15'), m('civil_society', 'member', [], '2025-06-16'), m('executive', 'member', [], null, '2025-06-14'), m('executive')]);
  assert.deepEqual([v.met, v.count, v.total], [false, 1, 2]);
  // Nobody: not met.
  v = verdict([]);
  assert.deepEqual([v.met, v.count, v.total], [false, 0, 0]);
});

test('every group represented: youth, women, persons with disabilities and non-majority communities by current members', () => {
  const today = '2025-06-15';
  const members = [m('civil_society', 'member', ['youth', 'women']), m('civil_society', 'member', ['persons_with_disabilities']), m('civil_society', 'observer', ['non_majority_communities'])];
  let v = evaluateRules(['represents_all_groups'], members, today)[0]!;
  assert.deepEqual([v.met, v.count, v.total, v.missing], [true, 4, 4, []]);
  const ended = [...members.slice(0, 2), m('civil_society', 'member', ['non_majority_communities'], '2024-01-01', '2025-06-14')];
  v = evaluateRules(['represents_all_groups'], ended, today)[0]!;
  assert.deepEqual([v.met, v.missing], [false, ['non_majority_communities']]);
  assert.deepEqual(evaluateRules([], members, today), [], 'no rule, no verdict');
  assert.equal(isCurrent({ termStart: '2025-06-15', termEnd: '2025-06-15' }, today), true);
});
