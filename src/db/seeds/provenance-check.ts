import { readFileSync } from 'node:fs';
import type { Executor } from '../database.js';
import { parseTranslatable } from '../../lib/translatable.js';

/**
 * Checks the stored record against its provenance: every text in every language has a source,
 * a text or fact marked as the source's words is found word for word in the source held in
 * src/db/seeds/sources/, every section named is found there, and an empty text is marked as not
 * stated. Returns the problems found (empty when all is well). Used by seeds.test.ts.
 */

const SOURCE_FILES: Record<string, string> = {
  adopted_plan: 'action-plan-gjakova-2024-2025.fr.txt',
  ogp_plan_page: 'ogp-pages-gjakova.en.txt',
  ogp_commitment_page: 'ogp-pages-gjakova.en.txt',
};

/** Whitespace is not significant (the sources wrap lines); "[…]" marks where Besa stops quoting. */
export function normalizeQuoted(text: string): string {
  return text.replace(/\s*\[…\]\s*$/u, '').replace(/\s+/g, ' ').trim();
}

const texts = new Map<string, string>();
export function sourceText(document: string): string | undefined {
  const file = SOURCE_FILES[document];
  if (!file) return undefined;
  let text = texts.get(file);
  if (text === undefined) {
    text = normalizeQuoted(readFileSync(new URL(`./sources/${file}`, import.meta.url), 'utf8'));
    texts.set(file, text);
  }
  return text;
}

interface Row {
  entity_type: string;
  entity_id: number;
  field: string;
  language: string | null;
  document: string;
  section: string;
  rendering: string;
  relation: string;
  quote: string | null;
}

/** The translatable fields of each record type that must carry a source. */
const TEXT_FIELDS: Record<string, { table: 'jurisdictions' | 'institutions' | 'action_plans' | 'vision_sections' | 'commitments'; fields: string[]; mustExplainEmpty?: boolean }> = {
  jurisdiction: { table: 'jurisdictions', fields: ['name', 'description'] },
  institution: { table: 'institutions', fields: ['name'] },
  action_plan: { table: 'action_plans', fields: ['title', 'foreword', 'cocreation_summary'] },
  vision_section: { table: 'vision_sections', fields: ['question', 'answer'] },
  commitment: { table: 'commitments', fields: ['title', 'problem', 'status_quo', 'action', 'contribution', 'long_term_goal'], mustExplainEmpty: true },
};

/** Facts (not texts) that must carry a source on each record of the type. */
const FACT_FIELDS: Record<string, string[]> = {
  action_plan: ['starts_on', 'ends_on', 'submitted_on', 'lead_institutions', 'cocreation_groups', 'cocreation_public_meetings', 'endorsements'],
  commitment: ['ogp_values', 'policy_areas', 'starts_on', 'ends_on', 'institutions'],
};

export async function provenanceProblems(db: Executor, jurisdictionId: number): Promise<string[]> {
  const problems: string[] = [];
  const rows = (await db.selectFrom('provenance').selectAll().execute()) as Row[];
  const of = (type: string, id: number, field: string) => rows.filter((r) => r.entity_type === type && r.entity_id === id && r.field === field);

  for (const r of rows) {
    const where = `${r.entity_type} ${r.entity_id} ${r.field}`;
    const source = sourceText(r.document);
    if (source === undefined) continue;
    if (r.section && !source.includes(normalizeQuoted(r.section))) problems.push(`${where}: section "${r.section}" is not in the ${r.document}`);
    if (r.quote && !source.includes(normalizeQuoted(r.quote))) problems.push(`${where}: quote "${r.quote}" is not in the ${r.document}`);
  }

  const plans = await db.selectFrom('action_plans').select('id').where('jurisdiction_id', '=', jurisdictionId).execute();
  const planIds = plans.map((p) => p.id);
  const records: Record<string, { id: number; [field: string]: unknown }[]> = {
    jurisdiction: await db.selectFrom('jurisdictions').selectAll().where('id', '=', jurisdictionId).execute(),
    institution: await db.selectFrom('institutions').selectAll().where('jurisdiction_id', '=', jurisdictionId).execute(),
    action_plan: await db.selectFrom('action_plans').selectAll().where('jurisdiction_id', '=', jurisdictionId).execute(),
    vision_section: planIds.length ? await db.selectFrom('vision_sections').selectAll().where('action_plan_id', 'in', planIds).execute() : [],
    commitment: planIds.length ? await db.selectFrom('commitments').selectAll().where('action_plan_id', 'in', planIds).execute() : [],
  };

  for (const [type, spec] of Object.entries(TEXT_FIELDS)) {
    for (const record of records[type] ?? []) {
      for (const field of spec.fields) {
        const value = parseTranslatable(record[field] as string);
        const sources = of(type, record.id, field);
        const where = `${type} ${record.id} ${field}`;
        const languages = Object.entries(value).filter(([, text]) => text);
        if (languages.length === 0) {
          if (sources.some((s) => s.rendering !== 'not_stated')) problems.push(`${where}: empty, but a source is given for it`);
          if (spec.mustExplainEmpty && !sources.some((s) => s.rendering === 'not_stated')) problems.push(`${where}: empty without "not stated"`);
          continue;
        }
        for (const [language, text] of languages) {
          const own = sources.filter((s) => s.relation === 'basis' && s.rendering !== 'not_stated' && (s.language === null || s.language === language));
          if (own.length === 0) {
            problems.push(`${where} (${language}): no source reference`);
            continue;
          }
          for (const s of own.filter((x) => x.rendering === 'words')) {
            const source = sourceText(s.document);
            if (source !== undefined && !source.includes(normalizeQuoted(text as string))) {
              problems.push(`${where} (${language}): marked as the source's words but differs from the ${s.document}`);
            }
          }
        }
      }
    }
  }

  for (const [type, fields] of Object.entries(FACT_FIELDS)) {
    for (const record of records[type] ?? []) {
      for (const field of fields) {
        if (of(type, record.id, field).length === 0) problems.push(`${type} ${record.id} ${field}: no source reference`);
      }
    }
  }

  // Endorsements in the plan's words.
  if (planIds.length) {
    const endorsementSources = rows.filter((r) => r.entity_type === 'action_plan' && r.field === 'endorsements' && r.rendering === 'words');
    const endorsements = await db.selectFrom('endorsements').select(['action_plan_id', 'organization']).where('action_plan_id', 'in', planIds).execute();
    for (const e of endorsements) {
      const s = endorsementSources.find((r) => r.entity_id === e.action_plan_id);
      const source = s ? sourceText(s.document) : undefined;
      if (!s) problems.push(`endorsement ${e.organization}: no source reference`);
      else if (source !== undefined && !source.includes(e.organization)) problems.push(`endorsement ${e.organization}: not as the ${s.document} names it`);
    }
  }
  return problems;
}
