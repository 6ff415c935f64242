import { escapeHtml } from '@kitajs/html';
import { formatDate, formatNumber, hasMessage, INTL_LOCALE, type MessageKey } from '../../i18n/index.js';
import { LOCALES } from '../../i18n/locales.js';
import type { Translatable } from '../../lib/translatable.js';
import { Localized } from '../../ui/components.js';
import type { PageContext } from '../../ui/context.js';
import type { HistoryWords } from '../manifest.js';
import type { Entry } from './repository.js';

/**
 * A log entry in the reader's words: what changed, with institutions named, values and statuses
 * by their labels and dates formatted; never a stored field name, key or identifier. The entry's
 * raw leaf stays available through its proof link (the JSON API), for verifiers.
 */

/** Current institution names, by id: one query per page (see institutionIdsIn). */
export type InstitutionNames = ReadonlyMap<number, Translatable>;

type Values = Record<string, unknown>;

/** Parent links and bookkeeping: structural, never shown (the page itself is the item). */
const HIDDEN_FIELDS = new Set(['jurisdiction_id', 'action_plan_id', 'commitment_id', 'body_id', 'parent_id', 'is_demo', 'position']);

function isObject(value: unknown): value is Values {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

export function isTranslatable(value: unknown): value is Translatable {
  if (!isObject(value)) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((k) => (LOCALES as readonly string[]).includes(k) && typeof value[k] === 'string');
}

/** The published field values of an entry (created/updated entries), when it has them. */
function valuesOf(entry: Entry): Values | undefined {
  return isObject(entry.summary.values) ? entry.summary.values : undefined;
}

function positiveId(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d{1,10}$/.test(value) ? Number(value) : NaN;
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

/** `lead:3` → { role: 'lead', id: 3 }. */
function roleRef(value: unknown): { role: string; id: number } | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^([a-z_]+):(\d{1,10})$/.exec(value);
  const id = match ? positiveId(match[2]) : undefined;
  return match && id ? { role: match[1]!, id } : undefined;
}

/** Every institution id an entry list refers to, for the one lookup of their names. */
export function institutionIdsIn(entries: readonly Entry[]): number[] {
  const ids = new Set<number>();
  const add = (v: unknown) => {
    const id = positiveId(v);
    if (id) ids.add(id);
  };
  for (const entry of entries) {
    const values = valuesOf(entry) ?? {};
    if (Array.isArray(values.institutions)) for (const r of values.institutions) add(roleRef(r)?.id);
    if (Array.isArray(values.lead_institution_ids)) values.lead_institution_ids.forEach(add);
    add(values.responsible_institution_id);
  }
  return [...ids].sort((a, b) => a - b);
}

/** Whether an entry is demonstration data (its own published mark, or the demonstration seed). */
export function isDemoEntry(entry: Entry): boolean {
  const values = valuesOf(entry);
  const flag = values?.is_demo;
  return flag === 1 || flag === true || flag === '1' || entry.summary.seed === 'demo' || entry.action === 'seed.demo';
}

const capitalize = (ctx: PageContext, text: string) => text.charAt(0).toLocaleUpperCase(ctx.locale) + text.slice(1);

function fieldLabel(ctx: PageContext, field: string): string {
  return capitalize(ctx, ctx.t('transparency.problem.field', { field }));
}

/** A domain label when the catalogue has one, else the key in words (never snake_case). */
function domainLabel(ctx: PageContext, group: string, key: string): string {
  const message = `domain.${group}.${key}`;
  return hasMessage(ctx.locale, message) ? ctx.t(message as MessageKey) : key.replace(/_/g, ' ');
}

function InstitutionName({ ctx, id, names }: { ctx: PageContext; id: number; names: InstitutionNames }): JSX.Element {
  const name = names.get(id);
  return name ? <Localized ctx={ctx} value={name} /> : <span class="missing">{escapeHtml(ctx.t('transparency.value.unknownInstitution'))}</span>;
}

interface Line {
  label: string;
  value?: JSX.Element;
}

const text = (value: string): JSX.Element => <span safe>{value}</span>;

/** A country's name from its ISO code, in the reader's language (Intl knows XK as Kosovo). */
function countryName(ctx: PageContext, code: string): string {
  try {
    return new Intl.DisplayNames([INTL_LOCALE[ctx.locale]], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}

function isDate(value: unknown): value is string {
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value);
}

/** A field's value in words, or undefined when it cannot be said without raw data. */
function fieldValue(ctx: PageContext, entityType: string, field: string, value: unknown, names: InstitutionNames): JSX.Element | undefined {
  if (value === null || value === undefined || value === '') return <span class="missing">{escapeHtml(ctx.t('ui.notSet'))}</span>;
  if (isTranslatable(value)) return <Localized ctx={ctx} value={value} />;
  if (isObject(value)) return Object.keys(value).length === 0 ? <span class="missing">{escapeHtml(ctx.t('ui.notSet'))}</span> : undefined;
  if (field === 'responsible_institution_id') {
    const id = positiveId(value);
    return id ? <InstitutionName ctx={ctx} id={id} names={names} /> : undefined;
  }
  if (field === 'ogp_values' && Array.isArray(value)) {
    return value.length ? text(value.map((v) => domainLabel(ctx, 'ogpValue', String(v))).join(', ')) : <span class="missing">{escapeHtml(ctx.t('ui.notSet'))}</span>;
  }
  if (field === 'endorsements' && Array.isArray(value)) {
    if (value.length === 0) return <span class="missing">{escapeHtml(ctx.t('ui.notSet'))}</span>;
    return text(
      value
        .map((e) => (isObject(e) && typeof e.organization === 'string' ? `${e.organization} (${domainLabel(ctx, 'sector', String(e.sector ?? 'other'))})` : ''))
        .filter(Boolean)
        .join('; '),
    );
  }
  if (field === 'vision_sections' && Array.isArray(value)) return text(ctx.t('transparency.value.sections', { count: value.length }));
  if (Array.isArray(value)) {
    if (value.length === 0) return <span class="missing">{escapeHtml(ctx.t('ui.notSet'))}</span>;
    if (value.some((v) => typeof v === 'object' && v !== null)) return text(ctx.t('transparency.value.items', { count: value.length }));
    return text(value.map((v) => String(v).replace(/_/g, ' ')).join(', '));
  }
  if (field === 'country_code' && typeof value === 'string' && /^[A-Z]{2}$/.test(value)) return text(countryName(ctx, value));
  if (field === 'status') return text(domainLabel(ctx, entityType === 'milestone' ? 'milestoneStatus' : 'planStatus', String(value)));
  if (field === 'kind') return text(domainLabel(ctx, entityType === 'jurisdiction' ? 'jurisdictionKind' : 'institutionKind', String(value)));
  if (isDate(value)) return text(formatDate(ctx.locale, value));
  if (typeof value === 'number') return text(formatNumber(ctx.locale, value));
  if (typeof value === 'boolean') return text(ctx.t(value ? 'transparency.value.yes' : 'transparency.value.no'));
  return text(String(value));
}

/** Institutions added and removed, from the previous published list (`lead:3` pairs or plain ids). */
function institutionLines(ctx: PageContext, previous: unknown, next: unknown, names: InstitutionNames, defaultRole: string, created: boolean): Line[] {
  const refs = (list: unknown) =>
    (Array.isArray(list) ? list : [])
      .map((v) => roleRef(v) ?? (positiveId(v) ? { role: defaultRole, id: positiveId(v)! } : undefined))
      .filter((r): r is { role: string; id: number } => !!r);
  const key = (r: { role: string; id: number }) => `${r.role}:${r.id}`;
  const before = refs(previous);
  const after = refs(next);
  const had = new Set(before.map(key));
  const has = new Set(after.map(key));
  const lines: Line[] = [];
  for (const r of after) {
    if (!had.has(key(r))) {
      const label = ctx.t(created ? 'transparency.change.institution' : 'transparency.change.institutionAdded', { role: r.role });
      lines.push({ label, value: <InstitutionName ctx={ctx} id={r.id} names={names} /> });
    }
  }
  for (const r of before) {
    if (!has.has(key(r))) lines.push({ label: ctx.t('transparency.change.institutionRemoved', { role: r.role }), value: <InstitutionName ctx={ctx} id={r.id} names={names} /> });
  }
  return lines;
}

/** Lines for a created or updated entry with published values. */
function valueLines(ctx: PageContext, entry: Entry, values: Values, previous: Values, names: InstitutionNames, words: HistoryWords | undefined): Line[] {
  const created = entry.action.endsWith('.created') || entry.action.endsWith('.added');
  const lines: Line[] = [];
  // The item's code and name first, then the rest as published; a new item's empty fields are left out.
  const fields = Object.keys(values)
    .filter((f) => !created || !isEmpty(values[f]))
    .sort((a, b) => firstOrder(a) - firstOrder(b));
  // Fields named as changed but published without a value.
  const changed = Array.isArray(entry.summary.changed) ? entry.summary.changed.filter((f): f is string => typeof f === 'string' && !(f in values)) : [];
  for (const field of [...fields, ...changed]) {
    if (HIDDEN_FIELDS.has(field)) continue;
    const value = values[field];
    if (field === 'institutions' || field === 'lead_institution_ids') {
      lines.push(...institutionLines(ctx, created ? [] : previous[field], value, names, 'lead', created));
      continue;
    }
    if (field === 'status' && entry.entityType === 'action_plan') continue; // derived from the dates, never read
    // The owning module's words first (HistorySource.describe), then the shared ones.
    const ownValue = field in values ? words?.value?.(ctx, field, value) : undefined;
    const shown = ownValue !== undefined ? text(ownValue) : field in values ? fieldValue(ctx, entry.entityType, field, value, names) : undefined;
    const ownLabel = words?.field?.(ctx, field);
    const named = ownLabel ? capitalize(ctx, ownLabel) : fieldLabel(ctx, field);
    let label = created ? named : ctx.t('transparency.change.field', { field: named });
    if (!ownLabel && !hasKnownLabel(ctx, field)) label = ctx.t('transparency.change.otherField');
    const before =
      field === 'status' && typeof entry.summary.previousStatus === 'string'
        ? domainLabel(ctx, 'milestoneStatus', entry.summary.previousStatus)
        : field === 'code' && typeof entry.summary.previousCode === 'string'
          ? entry.summary.previousCode
          : undefined;
    lines.push({
      label,
      value:
        shown && before !== undefined ? (
          <>
            {shown} {escapeHtml(ctx.t('transparency.change.before', { value: before }))}
          </>
        ) : (
          shown
        ),
    });
  }
  return lines;
}

const FIRST_FIELDS = ['code', 'title', 'name'];
const firstOrder = (field: string) => (FIRST_FIELDS.includes(field) ? FIRST_FIELDS.indexOf(field) : FIRST_FIELDS.length);

function isEmpty(value: unknown): boolean {
  return value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0) || (isObject(value) && Object.keys(value).length === 0);
}

function hasKnownLabel(ctx: PageContext, field: string): boolean {
  return ctx.t('transparency.problem.field', { field }) !== ctx.t('transparency.problem.field', { field: 'other' }) || field === 'other';
}

/** Lines for the entries without published values: seeds, progress updates, statuses, sources. */
function otherLines(ctx: PageContext, entry: Entry): Line[] {
  const { t } = ctx;
  const s = entry.summary;
  const num = (v: unknown) => (typeof v === 'number' ? v : 0);
  if (entry.action === 'seed.gjakova') {
    return [{ label: t('transparency.seed.plan', { commitments: num(s.commitments), institutions: num(s.institutions) }) }];
  }
  if (entry.action === 'seed.demo') return [{ label: t('transparency.seed.demo', { milestones: num(s.milestones) }) }];
  if (entry.action === 'milestone.status_changed') {
    return [{ label: fieldLabel(ctx, 'status'), value: text(domainLabel(ctx, 'milestoneStatus', String(s.status ?? ''))) }];
  }
  if (entry.action === 'progress_update.published') {
    const lines: Line[] = [
      {
        label: t('transparency.progress.period', { cycle: num(s.cycle) }),
        value: text(
          [isDate(s.dueOn) ? t('transparency.progress.due', { date: formatDate(ctx.locale, s.dueOn) }) : '', isDate(s.submittedOn) ? t('transparency.progress.submitted', { date: formatDate(ctx.locale, s.submittedOn) }) : '']
            .filter(Boolean)
            .join('; '),
        ),
      },
    ];
    for (const m of Array.isArray(s.milestones) ? s.milestones : []) {
      if (!isObject(m)) continue;
      const completion = `reporting.completion.${String(m.completion)}`;
      lines.push({
        label: t('transparency.progress.milestone', { code: typeof m.code === 'string' ? m.code : '' }).trim(),
        value: text(
          [
            domainLabel(ctx, 'milestoneStatus', String(m.status ?? '')),
            hasMessage(ctx.locale, completion) ? t('transparency.progress.completion', { completion: t(completion as MessageKey) }) : '',
          ]
            .filter(Boolean)
            .join('; '),
        ),
      });
    }
    return lines;
  }
  if (entry.action === 'provenance.recorded' && isObject(s.source)) {
    const src = s.source;
    const field = typeof src.field === 'string' ? src.field : 'other';
    const doc = `provenance.document.${String(src.document)}`;
    const rendering = `provenance.rendering.${String(src.rendering)}`;
    const parts = [
      typeof src.title === 'string' && src.title ? src.title : hasMessage(ctx.locale, doc) ? t(doc as MessageKey) : '',
      typeof src.section === 'string' && src.section ? src.section : '',
      hasMessage(ctx.locale, rendering) ? t(rendering as MessageKey) : '',
    ].filter(Boolean);
    return [
      {
        label: t('transparency.provenance.recorded', { field: t('transparency.problem.field', { field: hasKnownLabel(ctx, field) ? field : 'other' }) }),
        value: text(parts.join('; ')),
      },
    ];
  }
  return [];
}

/** The lines the owning module gives for an entry without published values (HistoryWords.entry). */
function ownLines(ctx: PageContext, entry: Entry, words: HistoryWords | undefined): Line[] | undefined {
  const lines = words?.entry?.(ctx, entry);
  return lines?.map(({ label, value }) => (value === undefined ? { label } : { label, value: text(value) }));
}

/**
 * The entry in words: a list of what changed. `previous` holds the fields' values before it;
 * `words` are the owning module's (HistorySource.describe), tried before the shared ones.
 */
export function EntryDescription({ ctx, entry, previous, names, words }: { ctx: PageContext; entry: Entry; previous: Values; names: InstitutionNames; words?: HistoryWords | undefined }): JSX.Element {
  const values = valuesOf(entry);
  const lines = values ? valueLines(ctx, entry, values, previous, names, words) : (ownLines(ctx, entry, words) ?? otherLines(ctx, entry));
  if (lines.length === 0) return <p class="hint">{escapeHtml(ctx.t('transparency.noChanges'))}</p>;
  return (
    <ul class="history-changes">
      {/* A line's value is JSX built above (escaped there): `safe` in its name tells the XSS scan so. */}
      {lines.map(({ label, value: safeValue }) => (
        <li>
          {safeValue ? (
            <>
              <span safe>{`${label}: `}</span>
              {safeValue}
            </>
          ) : (
            <span safe>{label}</span>
          )}
        </li>
      ))}
    </ul>
  );
}

/**
 * For each entry (newest first, as the history page lists them), the published field values it
 * followed: what the older entries of the same item last said.
 */
export function previousValues(entries: readonly Entry[]): Values[] {
  const state: Values = {};
  const result: Values[] = new Array<Values>(entries.length);
  for (let i = entries.length - 1; i >= 0; i -= 1) {
    const entry = entries[i]!;
    result[i] = { ...state };
    const values = valuesOf(entry);
    if (values) Object.assign(state, values);
  }
  return result;
}
