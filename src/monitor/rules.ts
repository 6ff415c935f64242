import { formatVkey, SIGNATURE_ED25519 } from '../lib/tlog/note.js';
import type { MonitorState } from './state.js';

/**
 * Watch rules: which of the log's new entries `besa monitor` reports.
 *
 *   TYPE:ID                 any entry about that item, e.g. `commitment:12`
 *   TYPE:ID:FIELD,FIELD     entries that change (or first set) one of those fields, e.g. `commitment:12:title,action`
 *   TYPE:*                  any entry about any item of that type
 *   TYPE:*:FIELD,FIELD      those fields, on any item of that type
 *   commitment-text-after-adoption
 *                           any change to a commitment's text (title, problem, status quo, action,
 *                           contribution, long-term goal) on a day after its plan's adoption
 *
 * TYPE is the entry's entity type as the log writes it (jurisdiction, institution, action_plan,
 * commitment, milestone, progress_update, …; `plan` is read as action_plan). Fields are the names
 * in the entry's `summary.changed`.
 */

export const TEXT_AFTER_ADOPTION = 'commitment-text-after-adoption';
/** A commitment's texts (commitments/commands.ts COMMITMENT_TEXT_FIELDS). */
export const COMMITMENT_TEXT_FIELDS = ['title', 'problem', 'status_quo', 'action', 'contribution', 'long_term_goal'] as const;

export type WatchRule =
  | { text: string; kind: 'entity'; entityType: string; entityId: number | '*'; fields?: string[] }
  | { text: string; kind: 'text-after-adoption' };

export class RuleError extends Error {}

const TYPE = /^[a-z][a-z0-9_]*$/;
const FIELD = /^[a-z][a-z0-9_]*$/;

export function parseRule(text: string): WatchRule {
  const rule = text.trim();
  if (rule === TEXT_AFTER_ADOPTION) return { text: rule, kind: 'text-after-adoption' };
  const parts = rule.split(':');
  if (parts.length < 2 || parts.length > 3) throw new RuleError(`--watch "${text}": expected TYPE:ID, TYPE:ID:FIELD,FIELD (ID may be *) or ${TEXT_AFTER_ADOPTION}`);
  const [typeText, idText, fieldText] = parts as [string, string, string | undefined];
  const entityType = typeText === 'plan' ? 'action_plan' : typeText;
  if (!TYPE.test(entityType)) throw new RuleError(`--watch "${text}": "${typeText}" is not an entity type (such as commitment, milestone, action_plan)`);
  let entityId: number | '*';
  if (idText === '*') entityId = '*';
  else if (/^(0|[1-9][0-9]{0,14})$/.test(idText)) entityId = Number(idText);
  else throw new RuleError(`--watch "${text}": "${idText}" is not an id (a number, or *)`);
  if (fieldText === undefined) return { text: rule, kind: 'entity', entityType, entityId };
  const fields = fieldText.split(',').map((f) => f.trim());
  if (fields.length === 0 || fields.some((f) => !FIELD.test(f))) throw new RuleError(`--watch "${text}": fields are names such as title,description, separated by commas`);
  return { text: rule, kind: 'entity', entityType, entityId, fields };
}

/** A Besa leaf (transparency/repository.ts leafText), as read from an entry bundle. */
export interface Leaf {
  v: number;
  index: number;
  occurredAt: string;
  action: string;
  entityType: string;
  entityId: number | null;
  role: string;
  summary: Record<string, unknown>;
}

/** Reads a leaf; undefined when it is not a Besa leaf. */
export function parseLeaf(bytes: Buffer): Leaf | undefined {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
  const l = value as Partial<Leaf>;
  if (!l || typeof l !== 'object' || Array.isArray(l)) return undefined;
  if (!Number.isSafeInteger(l.index) || typeof l.occurredAt !== 'string' || typeof l.action !== 'string' || typeof l.entityType !== 'string') return undefined;
  if (!(l.entityId === null || Number.isSafeInteger(l.entityId))) return undefined;
  if (!l.summary || typeof l.summary !== 'object' || Array.isArray(l.summary)) return undefined;
  return l as Leaf;
}

export interface Finding {
  index: number;
  occurredAt: string;
  action: string;
  entityType: string;
  entityId: number | null;
  /** The fields the rule matched (all changed fields for a rule without fields). */
  fields: string[];
  /** Their new values as the entry publishes them. */
  values: Record<string, unknown>;
  rule: string;
  /** Why, in words, for the rules that need a reason (the adoption rule). */
  note?: string;
}

function changedOf(leaf: Leaf): string[] {
  const changed = leaf.summary.changed;
  return Array.isArray(changed) ? changed.filter((f): f is string => typeof f === 'string') : [];
}

function valuesOf(leaf: Leaf, fields: readonly string[]): Record<string, unknown> {
  const values = leaf.summary.values;
  if (!values || typeof values !== 'object') return {};
  const out: Record<string, unknown> = {};
  for (const f of fields) if (f in values) out[f] = (values as Record<string, unknown>)[f];
  return out;
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * What the adoption rule needs to remember, read from every entry once (whether or not the rule is
 * asked for, so adding it later still knows the plans read before): which plan each commitment is
 * in (`action_plan_id` in its created/updated entries), and each plan's adoption day
 * (`submitted_on`: the day the plan was adopted and submitted to OGP; the earliest one the log
 * ever gave is kept, so clearing or moving the date does not hide later changes).
 */
export function rememberFacts(state: Pick<MonitorState, 'plans' | 'commitments' | 'announcedKeys'>, leaf: Leaf): void {
  if (leaf.entityId === null) return;
  if (leaf.entityType === 'signing_key' && (leaf.action === 'signing_key.rotated' || leaf.action === 'signing_key.adopted')) {
    // A key change (transparency/keys.ts KeyChangeSummary): the vkey of the key that signs from then on.
    const { publicKey, origin } = leaf.summary as { publicKey?: unknown; origin?: unknown };
    if (typeof publicKey === 'string' && typeof origin === 'string') {
      try {
        const raw = Buffer.from(publicKey, 'base64');
        if (raw.length === 32) (state.announcedKeys ??= []).push({ index: leaf.index, action: leaf.action, vkey: formatVkey(origin, SIGNATURE_ED25519, raw) });
      } catch {
        // Not a key Besa could have announced: nothing to follow.
      }
    }
    return;
  }
  const values = leaf.summary.values as Record<string, unknown> | undefined;
  if (!values || typeof values !== 'object') return;
  const changed = changedOf(leaf);
  if (leaf.entityType === 'commitment' && changed.includes('action_plan_id') && Number.isSafeInteger(values.action_plan_id)) {
    state.commitments[String(leaf.entityId)] = values.action_plan_id as number;
  }
  if (leaf.entityType === 'action_plan' && changed.includes('submitted_on')) {
    const day = values.submitted_on;
    const id = String(leaf.entityId);
    const known = state.plans[id];
    if (typeof day === 'string' && ISO_DAY.test(day)) {
      state.plans[id] = { adoptedOn: known && known.adoptedOn < day ? known.adoptedOn : day, current: day };
    } else if (known) {
      known.current = null;
    }
  }
}

/**
 * The findings of one entry, checked against the facts known BEFORE it (call rememberFacts after).
 */
export function matchRules(rules: readonly WatchRule[], state: Pick<MonitorState, 'plans' | 'commitments'>, leaf: Leaf): Finding[] {
  const findings: Finding[] = [];
  const changed = changedOf(leaf);
  const base = { index: leaf.index, occurredAt: leaf.occurredAt, action: leaf.action, entityType: leaf.entityType, entityId: leaf.entityId };
  for (const rule of rules) {
    if (rule.kind === 'entity') {
      if (leaf.entityType !== rule.entityType) continue;
      if (rule.entityId !== '*' && leaf.entityId !== rule.entityId) continue;
      const fields = rule.fields ? changed.filter((f) => rule.fields!.includes(f)) : changed;
      if (rule.fields && fields.length === 0) continue;
      findings.push({ ...base, fields, values: valuesOf(leaf, fields), rule: rule.text });
      continue;
    }
    // commitment-text-after-adoption
    if (leaf.entityId === null) continue;
    if (leaf.entityType === 'commitment' && !leaf.action.endsWith('.created')) {
      const fields = changed.filter((f) => (COMMITMENT_TEXT_FIELDS as readonly string[]).includes(f));
      if (fields.length === 0) continue;
      const planId = state.commitments[String(leaf.entityId)];
      const plan = planId === undefined ? undefined : state.plans[String(planId)];
      if (!plan) continue;
      const day = leaf.occurredAt.slice(0, 10);
      if (!(day > plan.adoptedOn)) continue;
      findings.push({ ...base, fields, values: valuesOf(leaf, fields), rule: rule.text, note: `plan ${planId} was adopted on ${plan.adoptedOn}` });
    } else if (leaf.entityType === 'action_plan' && changed.includes('submitted_on')) {
      // The adoption day of a plan already adopted was moved or cleared: the rule's own ground changed.
      const plan = state.plans[String(leaf.entityId)];
      if (!plan) continue;
      findings.push({ ...base, fields: ['submitted_on'], values: valuesOf(leaf, ['submitted_on']), rule: rule.text, note: `the plan was adopted on ${plan.adoptedOn}; its adoption day changed` });
    }
  }
  return findings;
}
