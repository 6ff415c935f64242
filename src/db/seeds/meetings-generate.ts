import { randomUUID } from 'node:crypto';
import type { Executor } from '../database.js';
import { mdb } from '../../modules/meetings/tables.js';
import { serializeTranslatable } from '../../lib/translatable.js';

/**
 * Meetings in proportion for the OGP-scale generator (generate.ts): for every body of the
 * synthetic jurisdictions (slug `synthetic-…`), one meeting a month over the year before `now`
 * (held: minutes, the roll of its members, a decision, an action item, the previous minutes
 * approved; the last action item still open and carried) and two upcoming ones. Everything says
 * "Synthetic" and is is_demo = 1. Run it after the bodies and their members are generated, in the
 * generator's transaction; returns the number of meetings added (none for a body that has some).
 */
export async function generateSyntheticMeetings(trx: Executor, now = new Date(), options: { pastPerBody?: number; upcomingPerBody?: number } = {}): Promise<number> {
  const past = options.pastPerBody ?? 12;
  const upcoming = options.upcomingPerBody ?? 2;
  const m = mdb(trx);
  const bodies = await m
    .selectFrom('bodies')
    .innerJoin('jurisdictions', 'jurisdictions.id', 'bodies.jurisdiction_id')
    .select(['bodies.id', 'bodies.kind', 'bodies.jurisdiction_id', 'jurisdictions.time_zone'])
    .where('jurisdictions.slug', 'like', 'synthetic-%')
    .orderBy('bodies.id')
    .execute();
  const stamp = now.toISOString();
  let added = 0;
  for (const body of bodies) {
    const has = await m.selectFrom('meetings').select('id').where('body_id', '=', body.id).executeTakeFirst();
    if (has) continue;
    const members = (await m.selectFrom('body_members').select('id').where('body_id', '=', body.id).orderBy('id').execute()).map((r) => r.id);
    const kind = body.kind === 'monitoring_body' ? 'monitoring_review' : body.kind === 'working_group' ? 'working_group' : 'forum';
    const ids: number[] = [];
    for (let i = -past; i < upcoming; i++) {
      const start = new Date(now.getTime() + (i * 30 + 3) * 86_400_000);
      start.setUTCHours(16, 0, 0, 0);
      const held = i < 0;
      const row = await m
        .insertInto('meetings')
        .values({
          jurisdiction_id: body.jurisdiction_id,
          body_id: body.id,
          kind,
          title: serializeTranslatable({ en: `Synthetic meeting ${i + past + 1}`, fr: `Réunion synthétique ${i + past + 1}`, sq: `Takim sintetik ${i + past + 1}` }),
          starts_at: start.toISOString(),
          ends_at: new Date(start.getTime() + 2 * 3_600_000).toISOString(),
          time_zone: body.time_zone,
          place: serializeTranslatable({ en: 'Synthetic town hall' }),
          online_url: null,
          step_free_access: 1,
          sign_language: null,
          languages: '["en"]',
          accessibility_note: '{}',
          reporting_cycle_id: null,
          status: held ? 'held' : 'scheduled',
          uid: `${randomUUID()}@besa`,
          sequence: 0,
          minutes: held ? serializeTranslatable({ en: `Synthetic minutes of meeting ${i + past + 1}: progress reviewed, next steps agreed.` }) : '{}',
          minutes_published_at: held ? stamp : null,
          minutes_approved_at: null,
          minutes_approved_in_id: null,
          reminded_at: held ? stamp : null,
          is_demo: 1,
          created_at: stamp,
          updated_at: stamp,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      ids.push(row.id);
      added += 1;
      await m
        .insertInto('meeting_agenda_items')
        .values([1, 2].map((p) => ({ meeting_id: row.id, position: p, title: serializeTranslatable({ en: `Synthetic agenda item ${p}` }), description: '{}', commitment_id: null, reporting_cycle_id: null })))
        .execute();
      if (!held) continue;
      if (members.length) await m.insertInto('meeting_attendance').values(members.map((id, k) => ({ meeting_id: row.id, member_id: id, status: k % 6 === 5 ? 'excused' : 'present' }))).execute();
      await m
        .insertInto('meeting_decisions')
        .values({ meeting_id: row.id, position: 1, text: serializeTranslatable({ en: 'Synthetic decision: the report is accepted.' }), votes_for: members.length, votes_against: 0, votes_abstaining: 0, commitment_ids: '[]', created_at: stamp })
        .execute();
      const open = i === -1;
      await m
        .insertInto('action_items')
        .values({
          meeting_id: row.id,
          text: serializeTranslatable({ en: 'Synthetic action item: publish the follow-up.' }),
          owner_institution_id: null,
          owner_member_id: members[0] ?? null,
          owner_label: '{}',
          due_on: new Date(start.getTime() + 20 * 86_400_000).toISOString().slice(0, 10),
          status: open ? 'open' : 'done',
          commitment_id: null,
          closed_at: open ? null : stamp,
          closed_in_id: null,
          created_at: stamp,
          updated_at: stamp,
        })
        .execute();
      // The previous meeting's minutes are approved at this one.
      if (ids.length > 1) await m.updateTable('meetings').set({ minutes_approved_in_id: row.id, minutes_approved_at: stamp }).where('id', '=', ids[ids.length - 2]!).execute();
    }
  }
  return added;
}
