import type { Executor } from '../../db/database.js';
import { parseTranslatable } from '../../lib/translatable.js';
import type { DatePrecision, ProvenanceEntity, Relation, Rendering, SourceDocument, SourceRef } from './domain.js';

/** The provenance of some records, by field: `get(type, id, field)` is empty when nothing is recorded. */
export interface Provenance {
  get(entityType: ProvenanceEntity, entityId: number, field: string): SourceRef[];
}

export const NO_PROVENANCE: Provenance = { get: () => [] };

/** Reads the provenance of the given records (one query), in recorded order. */
export async function provenanceOf(db: Executor, records: Partial<Record<ProvenanceEntity, readonly number[]>>): Promise<Provenance> {
  const wanted = Object.entries(records).filter(([, ids]) => ids && ids.length > 0) as [ProvenanceEntity, readonly number[]][];
  const byKey = new Map<string, SourceRef[]>();
  if (wanted.length > 0) {
    const rows = await db
      .selectFrom('provenance')
      .selectAll()
      .where((eb) => eb.or(wanted.map(([type, ids]) => eb.and([eb('entity_type', '=', type), eb('entity_id', 'in', [...ids])]))))
      .orderBy('entity_type')
      .orderBy('entity_id')
      .orderBy('field')
      .orderBy('position')
      .orderBy('id')
      .execute();
    for (const row of rows) {
      const key = `${row.entity_type}:${row.entity_id}:${row.field}`;
      const list = byKey.get(key) ?? [];
      list.push({
        field: row.field,
        language: row.language,
        document: row.document as SourceDocument,
        title: row.title,
        url: row.url,
        section: row.section,
        rendering: row.rendering as Rendering,
        relation: row.relation as Relation,
        quote: row.quote,
        precision: row.precision as DatePrecision | null,
        note: parseTranslatable(row.note),
      });
      byKey.set(key, list);
    }
  }
  return { get: (entityType, entityId, field) => byKey.get(`${entityType}:${entityId}:${field}`) ?? [] };
}

/** The ids of a plan's vision sections, in their order (provenance is recorded per section). */
export async function visionSectionIds(db: Executor, planId: number): Promise<number[]> {
  const rows = await db.selectFrom('vision_sections').select('id').where('action_plan_id', '=', planId).orderBy('position').execute();
  return rows.map((r) => r.id);
}
