import type { Db, Trx } from '../../db/database.js';
import { serializeTranslatable, type Translatable } from '../../lib/translatable.js';
import { canManageContent } from '../accounts/index.js';
import { authorize, runCommand, type Actor } from '../audit/index.js';
import type { DatePrecision, ProvenanceEntity, Relation, Rendering, SourceDocument } from './domain.js';

/** A source as the seed or an admin states it, for one field of one record. */
export interface SourceInput {
  field: string;
  language?: string | null;
  document: SourceDocument;
  title?: string;
  url?: string | null;
  section?: string;
  rendering: Rendering;
  relation?: Relation;
  quote?: string | null;
  precision?: DatePrecision | null;
  note?: Translatable;
}

/** The public summary of a source, as published in the transparency log (the record's history shows it). */
export function sourceSummary(source: SourceInput): Record<string, unknown> {
  const summary: Record<string, unknown> = { field: source.field, document: source.document, rendering: source.rendering };
  if (source.language) summary.language = source.language;
  if (source.title) summary.title = source.title;
  if (source.url) summary.url = source.url;
  if (source.section) summary.section = source.section;
  if (source.relation && source.relation !== 'basis') summary.relation = source.relation;
  if (source.quote) summary.quote = source.quote;
  if (source.precision) summary.precision = source.precision;
  if (source.note && Object.keys(source.note).length) summary.note = source.note;
  return summary;
}

/** Writes sources inside a command's transaction (the seed, or recordSource below). */
export async function insertSources(
  trx: Trx,
  entityType: ProvenanceEntity,
  entityId: number,
  sources: readonly SourceInput[],
  recordedBy: number | null,
  now: string,
): Promise<void> {
  if (sources.length === 0) return;
  await trx
    .insertInto('provenance')
    .values(
      sources.map((s, position) => ({
        entity_type: entityType,
        entity_id: entityId,
        field: s.field,
        language: s.language ?? null,
        position,
        document: s.document,
        title: s.title ?? '',
        url: s.url ?? null,
        section: s.section ?? '',
        rendering: s.rendering,
        relation: s.relation ?? 'basis',
        quote: s.quote ?? null,
        precision: s.precision ?? null,
        note: serializeTranslatable(s.note ?? {}),
        recorded_by: recordedBy,
        recorded_at: now,
      })),
    )
    .execute();
}

export interface RecordSourceInput {
  jurisdictionId: number;
  entityType: 'action_plan' | 'commitment';
  entityId: number;
  source: SourceInput;
}

/**
 * An admin records where a field of a plan or commitment comes from (a document, a link, a
 * meeting's minutes). It is published in the record's history with the source's details.
 */
export async function recordSource(db: Db, actor: Actor, input: RecordSourceInput): Promise<void> {
  authorize(actor, (user) => canManageContent(user, input.jurisdictionId));
  await runCommand(db, actor, async (trx, audit) => {
    const now = new Date().toISOString();
    const last = await trx
      .selectFrom('provenance')
      .select((eb) => eb.fn.max('position').as('position'))
      .where('entity_type', '=', input.entityType)
      .where('entity_id', '=', input.entityId)
      .where('field', '=', input.source.field)
      .executeTakeFirst();
    const position = last?.position === null || last?.position === undefined ? 0 : Number(last.position) + 1;
    await trx
      .insertInto('provenance')
      .values({
        entity_type: input.entityType,
        entity_id: input.entityId,
        field: input.source.field,
        language: input.source.language ?? null,
        position,
        document: input.source.document,
        title: input.source.title ?? '',
        url: input.source.url ?? null,
        section: input.source.section ?? '',
        rendering: input.source.rendering,
        relation: input.source.relation ?? 'basis',
        quote: input.source.quote ?? null,
        precision: input.source.precision ?? null,
        note: serializeTranslatable(input.source.note ?? {}),
        recorded_by: actor.userId,
        recorded_at: now,
      })
      .execute();
    await audit.publish('provenance.recorded', input.entityType, input.entityId, { source: sourceSummary(input.source) });
  });
}
