import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../src/db/database.js';
import { seedDemo, seedIfEmpty } from '../src/db/seeds/index.js';
import { SYSTEM } from '../src/modules/audit/index.js';
import { hashPassword } from '../src/modules/accounts/index.js';
import { generateCycles, saveProgressUpdate } from '../src/modules/reporting/commands.js';
import { rdb } from '../src/modules/reporting/tables.js';
import { actorWith } from './actors.js';
import { sessionFor } from './reporting-fixture.js';

/**
 * One person of each kind the administration knows, on Gjakova's seeded plan (with the
 * demonstration milestones) and a second jurisdiction, Prizren: the people of
 * test/role-matrix.test.ts, test/admin-links.test.ts.
 */
export const PEOPLE = ['admin', 'otherAdmin', 'coordinator', 'holder', 'otherHolder', 'secretary', 'monitoring', 'moderator', 'noRole'] as const;
export type Person = (typeof PEOPLE)[number];

/** Someone the people above may find in the list of people: a monitoring member of Gjakova. */
export const TARGET_EMAIL = 'target.person@example.org';

export interface PeopleFixture {
  gjakovaId: number;
  /** Prizren: administered by `otherAdmin`, no plan. */
  otherJurisdictionId: number;
  planId: number;
  userIds: Record<Person, number>;
  /** A session cookie value (besa_session) per person. */
  sessions: Record<Person, string>;
  targetId: number;
  /** A failed message in the outbox, to the target person (so a retry button has something to retry). */
  failedMailId: number;
}

type RoleRow = { role: string; jurisdiction_id: number | null; institution_id: number | null };

async function addUser(db: Db, email: string, roles: RoleRow[], passwordHash: string): Promise<number> {
  const row = await db
    .insertInto('users')
    .values({ email, display_name: email.split('@')[0] ?? email, password_hash: passwordHash, created_at: new Date().toISOString() } as never)
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const r of roles) await db.insertInto('user_roles').values({ user_id: row.id, ...r }).execute();
  return row.id;
}

/**
 * Seeds an empty database (Gjakova's plan and the demonstration milestones), adds Prizren, the
 * people with a session each, reporting cycles for the plan, a submitted progress update of
 * XKGJA0001 in cycle 1 (filed by `holder`) and a failed e-mail.
 */
export async function insertPeopleFixture(db: Db): Promise<PeopleFixture> {
  assert.equal(await seedIfEmpty(db), true, 'the database was empty');
  await seedDemo(db);
  const now = new Date().toISOString();
  const other = await db
    .insertInto('jurisdictions')
    .values({ slug: 'prizren', name: JSON.stringify({ en: 'Municipality of Prizren' }), kind: 'local', country_code: 'XK', description: '{}', website: null, created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  const g = (await db.selectFrom('jurisdictions').select('id').where('slug', '=', 'gjakova').executeTakeFirstOrThrow()).id;
  const institution = async (slug: string) =>
    (await db.selectFrom('institutions').select('id').where('jurisdiction_id', '=', g).where('slug', '=', slug).executeTakeFirstOrThrow()).id;
  const lead0001 = await institution('information-office'); // leads XKGJA0001 and XKGJA0002
  const lead0003 = await institution('directorate-public-services'); // leads XKGJA0003 only
  // The sources do not say which institution leads (the seed marks them 'involved'): the fixture
  // states the leads, as a coordinator would.
  await db.updateTable('commitment_institutions').set({ role: 'lead' }).where('institution_id', 'in', [lead0001, lead0003]).execute();
  const hash = await hashPassword('correct horse battery staple');
  const roles: Record<Person, RoleRow[]> = {
    admin: [{ role: 'administrator', jurisdiction_id: null, institution_id: null }],
    otherAdmin: [{ role: 'administrator', jurisdiction_id: other.id, institution_id: null }],
    coordinator: [{ role: 'coordinator', jurisdiction_id: g, institution_id: null }],
    holder: [{ role: 'commitment_holder', jurisdiction_id: g, institution_id: lead0001 }],
    otherHolder: [{ role: 'commitment_holder', jurisdiction_id: g, institution_id: lead0003 }],
    secretary: [{ role: 'forum_secretary', jurisdiction_id: g, institution_id: null }],
    monitoring: [{ role: 'monitoring_member', jurisdiction_id: g, institution_id: null }],
    moderator: [{ role: 'moderator', jurisdiction_id: g, institution_id: null }],
    noRole: [],
  };
  const userIds = {} as Record<Person, number>;
  const sessions = {} as Record<Person, string>;
  for (const who of PEOPLE) {
    userIds[who] = await addUser(db, `${who.toLowerCase()}@example.org`, roles[who], hash);
    sessions[who] = await sessionFor(db, userIds[who]);
  }
  const targetId = await addUser(db, TARGET_EMAIL, [{ role: 'monitoring_member', jurisdiction_id: g, institution_id: null }], hash);

  const plan = await db.selectFrom('action_plans').select('id').where('jurisdiction_id', '=', g).where('slug', '=', '2024-2025').executeTakeFirstOrThrow();
  assert.ok((await generateCycles(db, SYSTEM, plan.id)) > 0, 'the plan has reporting cycles');
  const cycle = await rdb(db).selectFrom('reporting_cycles').select('id').where('action_plan_id', '=', plan.id).where('number', '=', 1).executeTakeFirstOrThrow();
  const commitment = await db.selectFrom('commitments').select('id').where('action_plan_id', '=', plan.id).where('code', '=', 'XKGJA0001').executeTakeFirstOrThrow();
  const milestones = await db.selectFrom('milestones').select('id').where('commitment_id', '=', commitment.id).orderBy('position').execute();
  const submitted = await saveProgressUpdate(db, actorWith('commitment_holder', { userId: userIds.holder, jurisdictionId: g, institutionId: lead0001 }), {
    cycleId: cycle.id,
    commitmentId: commitment.id,
    locale: 'en',
    summary: 'The first services are online.',
    items: milestones.map((m) => ({ milestoneId: m.id, status: 'in_progress', completion: 'limited', narrative: 'Started.', obstacles: [], obstacleNote: '', links: [] })),
    files: [],
    removeFileIds: [],
    submit: true,
    formToken: null,
  });
  assert.equal(submitted.status, 'submitted');
  // A failed e-mail to the Gjakova target person: Gjakova's administrators see it, Prizren's do not.
  const mail = await db
    .insertInto('mail_outbox')
    .values({ created_at: now, to_address: TARGET_EMAIL, subject: 'Hello', text_body: 'Hello', html_body: null, status: 'failed', attempts: 5, next_attempt_at: now, last_error: 'refused', sent_at: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { gjakovaId: g, otherJurisdictionId: other.id, planId: plan.id, userIds, sessions, targetId, failedMailId: mail.id };
}

/** A CSRF secret cookie (`_csrf`) and a token made with it, from the sign-in page. */
export async function csrfFromSignIn(app: FastifyInstance, locale = 'en'): Promise<{ token: string; cookie: string }> {
  const login = await app.inject({ method: 'GET', url: `/${locale}/login` });
  const token = /name="_csrf" value="([^"]+)"/.exec(login.body)?.[1];
  const cookie = login.cookies.find((c) => c.name === '_csrf')?.value;
  assert.ok(token && cookie, 'a CSRF token from the sign-in page');
  return { token, cookie };
}
