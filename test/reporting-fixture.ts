import type { Db } from '../src/db/database.js';
import { actorFor, findUserRoles, insertSession } from '../src/modules/accounts/index.js';
import type { Actor } from '../src/modules/audit/index.js';

/** Test data for the reporting tests: inserted directly, the same on both databases. */
export interface ReportingFixture {
  jurisdictionId: number;
  planId: number;
  leadId: number;
  otherId: number;
  commitmentId: number;
  milestoneIds: [number, number];
  users: { admin: number; coordinator: number; holder: number; otherHolder: number };
  /** The same people as the Actors of commands (with their roles, as a signed-in request has them). */
  actors: { admin: Actor; coordinator: Actor; holder: Actor; otherHolder: Actor };
}

export const TINY_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');
export const TINY_PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n');
export const FAKE_PDF_HTML = Buffer.from('<!doctype html><html><body><script>alert(1)</script></body></html>');
export const FAKE_PDF_EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(62), Buffer.from('PE\0\0'), Buffer.alloc(200)]);

async function user(db: Db, email: string, roles: { role: string; jurisdiction_id: number | null; institution_id: number | null }[]): Promise<number> {
  const row = await db
    .insertInto('users')
    .values({ email, display_name: email.split('@')[0] ?? email, password_hash: 'x', created_at: new Date().toISOString() } as any)
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const r of roles) await db.insertInto('user_roles').values({ user_id: row.id, ...r }).execute();
  return row.id;
}

export async function insertReportingFixture(db: Db, slug = 'gjakova'): Promise<ReportingFixture> {
  const now = new Date().toISOString();
  const stamp = { description: '{}', website: null, created_at: now, updated_at: now };
  const j = await db
    .insertInto('jurisdictions')
    .values({ slug, name: JSON.stringify({ en: 'Municipality of Gjakova' }), kind: 'local', country_code: 'XK', ...stamp })
    .returning('id')
    .executeTakeFirstOrThrow();
  const lead = await db
    .insertInto('institutions')
    .values({ jurisdiction_id: j.id, slug: 'information-office', name: JSON.stringify({ en: 'Information Office' }), kind: 'government', ...stamp })
    .returning('id')
    .executeTakeFirstOrThrow();
  const other = await db
    .insertInto('institutions')
    .values({ jurisdiction_id: j.id, slug: 'finance', name: JSON.stringify({ en: 'Directorate of Finance' }), kind: 'government', ...stamp })
    .returning('id')
    .executeTakeFirstOrThrow();
  const plan = await db
    .insertInto('action_plans')
    .values({
      jurisdiction_id: j.id,
      slug: '2024-2025',
      title: JSON.stringify({ en: 'Action plan 2024–2025' }),
      starts_on: '2024-01-01',
      ends_on: '2025-12-31',
      submitted_on: null,
      status: 'in_implementation',
      foreword: '{}',
      cocreation_groups: null,
      cocreation_public_meetings: null,
      cocreation_summary: '{}',
      is_demo: 0,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const commitment = await db
    .insertInto('commitments')
    .values({
      action_plan_id: plan.id,
      code: 'XKGJA0001',
      position: 1,
      title: JSON.stringify({ en: 'Open budget', sq: 'Buxhet i hapur' }),
      problem: '{}',
      status_quo: '{}',
      action: '{}',
      contribution: '{}',
      long_term_goal: '{}',
      ogp_values: '["access_to_information"]',
      policy_areas: '[]',
      starts_on: '2024-01-01',
      ends_on: '2025-12-31',
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.insertInto('commitment_institutions').values({ commitment_id: commitment.id, institution_id: lead.id, role: 'lead' }).execute();
  await db.insertInto('commitment_institutions').values({ commitment_id: commitment.id, institution_id: other.id, role: 'supporting' }).execute();
  const milestoneIds: number[] = [];
  for (const n of [1, 2]) {
    const m = await db
      .insertInto('milestones')
      .values({
        commitment_id: commitment.id,
        code: `XKGJA0001.${n}`,
        position: n,
        title: JSON.stringify({ en: `Milestone ${n}` }),
        expected_output: '{}',
        indicator: '{}',
        responsible_institution_id: lead.id,
        starts_on: '2024-01-01',
        due_on: '2025-06-30',
        status: 'not_started',
        completed_on: null,
        cancelled_on: null,
        weight: 1,
        is_demo: 0,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    milestoneIds.push(m.id);
  }
  const users = {
    admin: await user(db, `admin@${slug}.example.org`, [{ role: 'administrator', jurisdiction_id: null, institution_id: null }]),
    coordinator: await user(db, `coordinator@${slug}.example.org`, [{ role: 'coordinator', jurisdiction_id: j.id, institution_id: null }]),
    holder: await user(db, `holder@${slug}.example.org`, [{ role: 'commitment_holder', jurisdiction_id: j.id, institution_id: lead.id }]),
    otherHolder: await user(db, `other@${slug}.example.org`, [{ role: 'commitment_holder', jurisdiction_id: j.id, institution_id: other.id }]),
  };
  return {
    jurisdictionId: j.id,
    planId: plan.id,
    leadId: lead.id,
    otherId: other.id,
    commitmentId: commitment.id,
    milestoneIds: milestoneIds as [number, number],
    users,
    actors: {
      admin: await actorOf(db, users.admin, j.id),
      coordinator: await actorOf(db, users.coordinator, j.id),
      holder: await actorOf(db, users.holder, j.id),
      otherHolder: await actorOf(db, users.otherHolder, j.id),
    },
  };
}

/** A person, read back from the database, as the Actor of a command on the jurisdiction. */
export async function actorOf(db: Db, userId: number, jurisdictionId: number): Promise<Actor> {
  return actorFor({ id: userId, roles: await findUserRoles(db, userId) }, jurisdictionId);
}

export function sessionFor(db: Db, userId: number): Promise<string> {
  return insertSession(db, userId);
}
