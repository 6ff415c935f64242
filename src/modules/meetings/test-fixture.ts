import type { Db } from '../../db/database.js';
import { insertReportingFixture, actorOf, type ReportingFixture } from '../../../test/reporting-fixture.js';
import type { Actor } from '../audit/index.js';

/** Test data for meetings: the reporting fixture, Gjakova's zone, a forum with three members, a forum secretary. */
export interface MeetingsFixture extends ReportingFixture {
  forumId: number;
  monitoringId: number;
  memberIds: [number, number, number];
  secretary: Actor;
  secretaryId: number;
}

export async function insertMeetingsFixture(db: Db, slug = 'gjakova'): Promise<MeetingsFixture> {
  const f = await insertReportingFixture(db, slug);
  await db.updateTable('jurisdictions').set({ time_zone: 'Europe/Belgrade' }).where('id', '=', f.jurisdictionId).execute();
  const now = new Date().toISOString();
  const m = db.withTables<{ bodies: Record<string, unknown> & { id: number } }>();
  const body = async (kind: string, bodySlug: string, name: string) =>
    (
      await m
        .insertInto('bodies')
        .values({ jurisdiction_id: f.jurisdictionId, kind, slug: bodySlug, name: JSON.stringify({ en: name, sq: name }), created_at: now, updated_at: now } as never)
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id as number;
  const forumId = await body('forum', 'forum', 'Transparency Forum');
  const monitoringId = await body('monitoring_body', 'monitoring-body', 'Monitoring body');
  const member = async (values: Record<string, unknown>) =>
    (
      await db
        .withTables<{ body_members: Record<string, unknown> & { id: number } }>()
        .insertInto('body_members')
        .values({ body_id: forumId, organisation: '{}', sector: 'civil_society', role: 'member', represented_groups: '[]', created_at: now, updated_at: now, ...values } as never)
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const memberIds: [number, number, number] = [
    await member({ organisation: JSON.stringify({ en: 'Youth Centre', sq: 'Qendra e Rinisë' }), person_name: 'Arta Krasniqi', name_consent_at: now, email: 'arta@youth.example.org', role: 'chair', position: 1 }),
    await member({ organisation: JSON.stringify({ en: 'Women’s Network' }), person_name: 'Hidden Person', email: 'network@women.example.org', position: 2 }),
    await member({ organisation: JSON.stringify({ en: 'Directorate of Finance' }), sector: 'executive', position: 3 }),
  ];
  const user = await db
    .insertInto('users')
    .values({ email: `secretary@${slug}.example.org`, display_name: 'secretary', password_hash: 'x', created_at: now, locale: 'fr' } as never)
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.insertInto('user_roles').values({ user_id: user.id, role: 'forum_secretary', jurisdiction_id: f.jurisdictionId, institution_id: null }).execute();
  return { ...f, forumId, monitoringId, memberIds, secretary: await actorOf(db, user.id, f.jurisdictionId), secretaryId: user.id };
}
