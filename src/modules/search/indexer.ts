import type { Db, Executor } from '../../db/database.js';
import { runCommand, SYSTEM } from '../audit/index.js';
import { hasMessage, translate, type MessageKey } from '../../i18n/index.js';
import { LOCALES } from '../../i18n/locales.js';
import { FOLD_VERSION, foldForSearch } from '../../lib/fold.js';
import { parseList, parseTranslatable, pick, pickText, serializeTranslatable, type Translatable } from '../../lib/translatable.js';
import {
  deleteOrphanDocuments,
  listJurisdictionIds,
  loadJurisdictionContent,
  lockJurisdictionDocuments,
  replaceJurisdictionDocuments,
  type NewSearchDocument,
} from './repository.js';

/**
 * A stored text as a translatable value. Translatable fields are JSON objects; a few names may be
 * plain text (a proper name is the same in every language), which then stands for every locale.
 */
export function asTranslatable(raw: string | null | undefined): Translatable {
  if (!raw) return {};
  const trimmed = raw.trim();
  if (trimmed.startsWith('{')) return parseTranslatable(trimmed);
  if (!trimmed) return {};
  const out: Translatable = {};
  for (const locale of LOCALES) out[locale] = trimmed;
  return out;
}

/** Every locale's text of stored values, plain strings and lists included. */
function textsOf(...values: (string | null | undefined)[]): string[] {
  const out: string[] = [];
  for (const raw of values) {
    if (!raw) continue;
    const trimmed = raw.trim();
    if (trimmed.startsWith('[')) {
      for (const item of parseList(trimmed)) out.push(...textsOf(item));
      continue;
    }
    const value = asTranslatable(trimmed);
    // Distinct texts only: a name that is the same in every locale is indexed once.
    for (const text of new Set(Object.values(value))) if (text) out.push(text);
  }
  return out;
}

/** Words as they are written: letters, digits and the combining marks that belong to them. */
const RAW_WORD_SEPARATOR = /[^\p{L}\p{N}\p{M}]+/u;
const FOLDED_WORD_SEPARATOR = /[^\p{L}\p{N}]+/u;

/**
 * Folds text word by word, remembering each distinct word: a jurisdiction's documents repeat the
 * same few thousand words, so this is many times faster than folding every text whole, with the
 * same result (folding works character by character and never crosses a word boundary).
 */
export class WordFolder {
  private readonly cache = new Map<string, string>();

  words(text: string, out: string[]): void {
    for (const raw of text.split(RAW_WORD_SEPARATOR)) {
      if (!raw) continue;
      let folded = this.cache.get(raw);
      if (folded === undefined) {
        folded = foldForSearch(raw)
          .split(FOLDED_WORD_SEPARATOR)
          .filter((w) => w.length > 0)
          .join(' ');
        if (this.cache.size < 200_000) this.cache.set(raw, folded);
      }
      if (folded) out.push(folded);
    }
  }
}

/**
 * The body of a document: folded text (see foldForSearch), words of letters and digits separated
 * by single spaces, so SQLite's FTS5 and PostgreSQL's parser see exactly the same words.
 */
export function searchBody(...values: (string | null | undefined)[]): string {
  return bodyWith(new WordFolder(), values);
}

function bodyWith(folder: WordFolder, values: (string | null | undefined)[]): string {
  const words: string[] = [];
  for (const text of textsOf(...values)) folder.words(text, words);
  return words.join(' ');
}

function titleJson(raw: string | null | undefined): string {
  return serializeTranslatable(asTranslatable(raw));
}

function groupBy<T, K>(rows: T[], key: (row: T) => K): Map<K, T[]> {
  const map = new Map<K, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = map.get(k);
    if (list) list.push(row);
    else map.set(k, [row]);
  }
  return map;
}

const seg = encodeURIComponent;

/** The locales messages are written in (Serbian Cyrillic is derived from Serbian Latin). */
const MESSAGE_LOCALES = ['sq', 'sr-Latn', 'en', 'fr'] as const;

/**
 * The title of a progress update: the title of the milestone or commitment it is about, with the
 * cycle, in every locale the title is written in (other locales show it as a marked fallback).
 * The cycle is named as on the commitment page: its label, or "Cycle N".
 */
export function updateTitle(rawTitle: string | null | undefined, cycle: { number: number; label: string }): string {
  const title = asTranslatable(rawTitle);
  const label = parseTranslatable(cycle.label);
  const cycleName = (locale: (typeof LOCALES)[number]) => pickText(label, locale) || translate(locale, 'reporting.cycle.defaultLabel', { number: cycle.number });
  const out: Translatable = {};
  for (const locale of LOCALES) {
    const picked = pick(title, locale);
    if (picked && !picked.fallback) out[locale] = translate(locale, 'search.updateTitle', { title: picked.text, cycle: cycleName(locale) });
  }
  // A title with no text at all: the cycle alone.
  if (Object.keys(out).length === 0) for (const locale of LOCALES) out[locale] = cycleName(locale);
  return serializeTranslatable(out);
}

/** The labels of the obstacles named in an update item, in every language ("other" is described in the note). */
function obstacleLabels(raw: string): string[] {
  const out: string[] = [];
  for (const code of parseList(raw)) {
    if (code === 'other') continue;
    const key = `reporting.obstacle.${code}`;
    for (const locale of MESSAGE_LOCALES) if (hasMessage(locale, key)) out.push(translate(locale, key as MessageKey));
  }
  return out;
}

/** The search documents of one jurisdiction, built from the content tables. */
export async function buildSearchDocuments(db: Executor, jurisdictionId: number): Promise<NewSearchDocument[] | undefined> {
  const content = await loadJurisdictionContent(db, jurisdictionId);
  if (!content) return undefined;
  const { jurisdiction: j } = content;
  const base = `/${seg(j.slug)}`;
  const docs: NewSearchDocument[] = [];
  const folder = new WordFolder();
  // Titles are indexed twice so that a match in a title ranks above one in a long text.
  const bodyOf = (...values: (string | null | undefined)[]) => bodyWith(folder, values);

  docs.push({
    doc_key: `jurisdiction:${j.id}`,
    jurisdiction_id: j.id,
    kind: 'jurisdiction',
    title: titleJson(j.name),
    path: base,
    body: bodyOf(j.slug, j.name, j.name, j.description),
    is_demo: 0,
  });

  for (const institution of content.institutions) {
    docs.push({
      doc_key: `institution:${institution.id}`,
      jurisdiction_id: j.id,
      kind: 'institution',
      title: titleJson(institution.name),
      path: `${base}/institutions/${seg(institution.slug)}`,
      body: bodyOf(institution.name, institution.name, institution.description),
      is_demo: 0,
    });
  }

  const visionByPlan = groupBy(content.visionSections, (v) => v.action_plan_id);
  const endorsementsByPlan = groupBy(content.endorsements, (e) => e.action_plan_id);
  const planPaths = new Map<number, string>();
  const demoPlans = new Set<number>();
  for (const plan of content.plans) {
    const path = `${base}/plans/${seg(plan.slug)}`;
    planPaths.set(plan.id, path);
    if (plan.is_demo === 1) demoPlans.add(plan.id);
    const vision = (visionByPlan.get(plan.id) ?? []).flatMap((v) => [v.question, v.answer]);
    const endorsers = (endorsementsByPlan.get(plan.id) ?? []).map((e) => e.organization);
    docs.push({
      doc_key: `plan:${plan.id}`,
      jurisdiction_id: j.id,
      kind: 'plan',
      title: titleJson(plan.title),
      path,
      body: bodyOf(plan.slug, plan.title, plan.title, plan.foreword, plan.cocreation_summary, ...vision, ...endorsers),
      is_demo: plan.is_demo === 1 ? 1 : 0,
    });
  }

  const institutionsByCommitment = groupBy(content.commitmentInstitutions, (ci) => ci.commitment_id);
  const commitmentPaths = new Map<number, string>();
  const commitmentsById = new Map(content.commitments.map((c) => [c.id, c]));
  for (const c of content.commitments) {
    const planPath = planPaths.get(c.action_plan_id);
    if (!planPath) continue;
    const path = `${planPath}/commitments/${seg(c.code)}`;
    commitmentPaths.set(c.id, path);
    const institutions = (institutionsByCommitment.get(c.id) ?? []).map((ci) => ci.name);
    docs.push({
      doc_key: `commitment:${c.id}`,
      jurisdiction_id: j.id,
      kind: 'commitment',
      title: titleJson(c.title),
      path,
      body: bodyOf(c.code, c.title, c.title, c.problem, c.status_quo, c.action, c.contribution, c.long_term_goal, c.policy_areas, ...institutions),
      // A commitment of a demonstration plan is demonstration data; one of a real plan is not,
      // even when demonstration milestones were added to it (those are labelled themselves).
      is_demo: demoPlans.has(c.action_plan_id) ? 1 : 0,
    });
  }

  const milestonesById = new Map<number, { title: string; demo: boolean }>();
  for (const m of content.milestones) {
    const commitmentPath = commitmentPaths.get(m.commitment_id);
    if (!commitmentPath) continue;
    const planId = commitmentsById.get(m.commitment_id)?.action_plan_id;
    const demo = m.is_demo === 1 || (planId !== undefined && demoPlans.has(planId));
    milestonesById.set(m.id, { title: m.title, demo });
    docs.push({
      doc_key: `milestone:${m.id}`,
      jurisdiction_id: j.id,
      kind: 'milestone',
      title: titleJson(m.title),
      path: `${commitmentPath}#${seg(m.code)}`,
      body: bodyOf(m.code, m.title, m.title, m.expected_output, m.indicator, m.responsible_name),
      is_demo: demo ? 1 : 0,
    });
  }

  // Published progress updates (the loader never returns drafts, submitted or returned ones): the
  // commitment's summary, and each milestone's narrative and obstacles, each where the commitment
  // page's timeline shows it (`#update-{id}`, `#update-{id}-{milestone id}`). Only their own text
  // is indexed: the milestone or commitment itself is found by its own document.
  const itemsByUpdate = groupBy(content.updateItems, (i) => i.update_id);
  for (const u of content.updates) {
    const commitment = commitmentsById.get(u.commitment_id);
    const commitmentPath = commitmentPaths.get(u.commitment_id);
    if (!commitment || !commitmentPath) continue;
    const cycle = { number: u.cycle_number, label: u.cycle_label };
    const demoPlan = demoPlans.has(commitment.action_plan_id);
    const summary = bodyOf(u.summary);
    if (summary) {
      docs.push({
        doc_key: `update:${u.id}`,
        jurisdiction_id: j.id,
        kind: 'update',
        title: updateTitle(commitment.title, cycle),
        path: `${commitmentPath}#update-${u.id}`,
        body: summary,
        is_demo: demoPlan ? 1 : 0,
      });
    }
    for (const item of itemsByUpdate.get(u.id) ?? []) {
      const milestone = milestonesById.get(item.milestone_id);
      if (!milestone) continue;
      const body = bodyOf(item.narrative, item.obstacle_note, ...obstacleLabels(item.obstacles));
      if (!body) continue;
      docs.push({
        doc_key: `update-item:${item.id}`,
        jurisdiction_id: j.id,
        kind: 'update',
        title: updateTitle(milestone.title, cycle),
        path: `${commitmentPath}#update-${u.id}-${item.milestone_id}`,
        body,
        is_demo: milestone.demo || demoPlan ? 1 : 0,
      });
    }
  }

  return docs;
}

/**
 * Rebuilds the search documents of one jurisdiction (the jurisdiction, its institutions, plans,
 * commitments, milestones and published progress updates). Call it inside the command's
 * transaction, after the change.
 * A jurisdiction that no longer exists loses its documents. Concurrent refreshes of one
 * jurisdiction take turns (lockJurisdictionDocuments), so each one reads what the one before it
 * committed.
 */
export async function refreshSearchDocuments(db: Executor, jurisdictionId: number): Promise<void> {
  await lockJurisdictionDocuments(db, jurisdictionId);
  const docs = await buildSearchDocuments(db, jurisdictionId);
  await replaceJurisdictionDocuments(db, jurisdictionId, docs ?? []);
}

/**
 * Rebuilds every search document (after a bulk import or seed), and records the folding they
 * were built with (FOLD_VERSION), so a start after it has nothing to rebuild.
 */
export async function rebuildSearchIndex(db: Executor): Promise<void> {
  await deleteOrphanDocuments(db);
  for (const id of await listJurisdictionIds(db)) await refreshSearchDocuments(db, id);
  await db.updateTable('cache_state').set({ search_fold_version: FOLD_VERSION }).where('id', '=', 1).execute();
}

/**
 * Rebuilds every search document when they were folded by another version of foldForSearch
 * (FOLD_VERSION), then records the version: run on start, after migrations, so a change to the
 * folding reaches the stored documents of existing instances once. Returns whether it rebuilt.
 * Several processes starting together may each rebuild: the rebuild is idempotent.
 */
export async function reindexIfFoldChanged(db: Db): Promise<boolean> {
  const row = await db.selectFrom('cache_state').select('search_fold_version').where('id', '=', 1).executeTakeFirst();
  if (!row || row.search_fold_version === FOLD_VERSION) return false;
  await runCommand(db, SYSTEM, (trx) => rebuildSearchIndex(trx));
  return true;
}
