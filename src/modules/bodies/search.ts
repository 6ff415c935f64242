import { bodyHistoryWords, memberHistoryWords } from './history-words.js';
import type { Db, Executor } from '../../db/database.js';
import type { HistorySource, SearchDocumentDraft, SearchSource } from '../manifest.js';
import { bdb } from './tables.js';

/**
 * One search document per body: its name, mandate and rules, and the public side of its members
 * (organisations, and a person's name only with recorded consent; never an e-mail address).
 */
export async function bodyDocuments(
  db: Executor,
  jurisdiction: { id: number; slug: string },
  body: (...values: (string | null | undefined)[]) => string,
): Promise<SearchDocumentDraft[]> {
  const bodies = await bdb(db).selectFrom('bodies').select(['id', 'slug', 'name', 'mandate', 'rules', 'is_demo']).where('jurisdiction_id', '=', jurisdiction.id).orderBy('id').execute();
  if (bodies.length === 0) return [];
  const members = await bdb(db)
    .selectFrom('body_members')
    .select(['body_id', 'organisation', 'person_name', 'name_consent_at'])
    .where(
      'body_id',
      'in',
      bodies.map((b) => b.id),
    )
    .orderBy('id')
    .execute();
  return bodies.map((b) => {
    const own = members.filter((m) => m.body_id === b.id);
    return {
      doc_key: `body:${b.id}`,
      kind: 'body',
      title: b.name,
      path: `/${jurisdiction.slug}/bodies/${b.slug}`,
      body: body(b.name, b.mandate, b.rules, ...own.map((m) => m.organisation), ...own.map((m) => (m.name_consent_at ? m.person_name : null))),
      is_demo: Number(b.is_demo) === 1 ? 1 : 0,
    };
  });
}

export const bodiesSearch: SearchSource = { kinds: ['body'], labels: { body: 'bodies.search.kind' }, documents: bodyDocuments };

async function locateBody(db: Db, id: number) {
  const row = await bdb(db)
    .selectFrom('bodies')
    .innerJoin('jurisdictions', 'jurisdictions.id', 'bodies.jurisdiction_id')
    .select(['jurisdictions.slug as slug', 'jurisdictions.time_zone as time_zone', 'bodies.is_demo as is_demo'])
    .where('bodies.id', '=', id)
    .executeTakeFirst();
  return row ? { jurisdictionSlug: row.slug, timeZone: row.time_zone || 'UTC', isDemo: Number(row.is_demo) === 1 } : undefined;
}

/** A removed member's history stays readable: the member row is gone, so the body is found through the log. */
async function locateMember(db: Db, id: number) {
  const member = await bdb(db).selectFrom('body_members').select(['body_id', 'is_demo']).where('id', '=', id).executeTakeFirst();
  if (member) {
    const body = await locateBody(db, member.body_id);
    return body ? { ...body, isDemo: body.isDemo || Number(member.is_demo) === 1 } : undefined;
  }
  const entry = await db
    .selectFrom('audit_events')
    .select('data')
    .where('entity_type', '=', 'body_member')
    .where('entity_id', '=', id)
    .orderBy('id', 'desc')
    .executeTakeFirst();
  const bodyId = entry ? bodyIdIn(entry.data) : undefined;
  return bodyId === undefined ? undefined : locateBody(db, bodyId);
}

function bodyIdIn(data: string): number | undefined {
  try {
    const parsed = JSON.parse(data) as { values?: { body_id?: unknown } };
    const id = parsed.values?.body_id;
    return typeof id === 'number' ? id : undefined;
  } catch {
    return undefined;
  }
}

export const bodiesHistory: readonly HistorySource[] = [
  { kind: 'body', entityType: 'body', locate: locateBody, describe: bodyHistoryWords },
  { kind: 'body_member', entityType: 'body_member', locate: locateMember, describe: memberHistoryWords },
];
