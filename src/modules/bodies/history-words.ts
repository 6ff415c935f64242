import type { MessageKey } from '../../i18n/index.js';
import type { HistoryWords } from '../manifest.js';
import type { PageContext } from '../../ui/context.js';

/**
 * The bodies' log entries in the reader's words (history pages of a body and of a member): field
 * names become labels and codes (kind, sector, groups, role, rules) their names.
 */
const FIELD_LABELS: Record<string, MessageKey> = {
  kind: 'bodies.field.kind',
  slug: 'bodies.field.slug',
  name: 'bodies.field.name',
  mandate: 'bodies.field.mandate',
  rules: 'bodies.field.rules',
  composition_rules: 'bodies.field.compositionRules',
  meets_every_days: 'bodies.field.meetsEveryDays',
  established_on: 'bodies.field.establishedOn',
  organisation: 'bodies.member.organisation',
  named_person: 'bodies.history.namedPerson',
  sector: 'bodies.member.sector',
  represented_groups: 'bodies.member.groups',
  role: 'bodies.member.role',
  term_start: 'bodies.history.termStart',
  term_end: 'bodies.history.termEnd',
  removed: 'bodies.history.removed',
};

const ACTIONS = ['body.created', 'body.updated', 'body_member.added', 'body_member.updated', 'body_member.removed'];

/** A list stored as JSON text or published as an array. */
function list(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  if (typeof value === 'string' && value.startsWith('[')) {
    try {
      return list(JSON.parse(value));
    } catch {
      return [];
    }
  }
  return [];
}

function value(ctx: PageContext, field: string, v: unknown): string | undefined {
  const { t } = ctx;
  if (field === 'kind' && typeof v === 'string') return t(`bodies.kind.${v}` as MessageKey);
  if (field === 'sector' && typeof v === 'string') return t(`bodies.sector.${v}` as MessageKey);
  if (field === 'role' && typeof v === 'string') return t(`bodies.role.${v}` as MessageKey);
  if (field === 'represented_groups') {
    const groups = list(v);
    return groups.length ? groups.map((g) => t(`bodies.group.${g}` as MessageKey)).join(', ') : t('bodies.history.none');
  }
  if (field === 'composition_rules') {
    const rules = list(v);
    return rules.length ? rules.map((r) => t(`bodies.rule.${r}` as MessageKey)).join('; ') : t('bodies.history.none');
  }
  if (field === 'named_person' || field === 'removed') return t(v ? 'bodies.history.yes' : 'bodies.history.no');
  return undefined;
}

export const bodyHistoryWords: HistoryWords = {
  label: 'bodies.search.kind',
  title: 'bodies.history.title',
  field: (ctx, field) => (FIELD_LABELS[field] ? ctx.t(FIELD_LABELS[field]) : undefined),
  value,
  action: (ctx, action) => (ACTIONS.includes(action) ? ctx.t(`bodies.history.action.${action.replace('.', '_')}` as MessageKey) : undefined),
};

export const memberHistoryWords: HistoryWords = { ...bodyHistoryWords, label: 'bodies.member.who', title: 'bodies.history.memberTitle' };
