import type { Db, Executor } from '../../db/database.js';
import { canonicalTimeZone } from '../../i18n/index.js';
import type { Locale } from '../../i18n/locales.js';
import { SlugTakenError, UNIQUE_KEYS, withSlugGuard } from '../../db/errors.js';
import { parseTranslatable, serializeTranslatable, setLocaleText, withLocaleText, type Translatable } from '../../lib/translatable.js';
import { canManageJurisdictions } from '../accounts/index.js';
import { authorize, runCommand, type Actor } from '../audit/index.js';
import { publicChanges } from '../transparency/index.js';
import type { JurisdictionKind } from '../commitments/domain.js';
import { refreshSearchDocuments } from '../search/index.js';
import { planStatusOf } from '../commitments/domain.js';

/**
 * Commands that change jurisdictions, and the few reads the admin pages need.
 * Every change runs through runCommand (transaction + audit event + content version).
 */

/** Slugs that would collide with fixed paths under /{locale}. */
export const RESERVED_JURISDICTION_SLUGS = new Set([
  'new',
  'admin',
  'login',
  'logout',
  'setup',
  'search',
  'accessibility',
  'privacy',
  'assets',
  'api',
  'feeds',
  'data',
  'healthz',
  'transparency',
  'history',
]);

export interface JurisdictionInput {
  slug: string;
  kind: JurisdictionKind;
  /** ISO 3166-1 alpha-2, stored upper-case. */
  countryCode: string;
  website: string | null;
  /** The content language the translatable fields below are written in. */
  contentLocale: Locale;
  name: string;
  description: string;
  /**
   * IANA time zone its times are shown in (`Europe/Belgrade`); 'UTC' for a new jurisdiction
   * without one, unchanged on an update without one. Published in the log with its other fields.
   */
  timeZone?: string | undefined;
}

/** Refused by the jurisdiction commands: a time zone Intl does not know (forms check it first, with a message). */
export class UnknownTimeZoneError extends Error {
  constructor(readonly timeZone: string) {
    super(`Unknown time zone "${timeZone}"`);
  }
}

/** The canonical IANA name of a time zone, or UnknownTimeZoneError. */
function timeZoneOf(input: string): string {
  const zone = canonicalTimeZone(input);
  if (!zone) throw new UnknownTimeZoneError(input);
  return zone;
}

export interface JurisdictionUpdate extends JurisdictionInput {
  id: number;
}

/** True when no other jurisdiction uses the slug and it is not reserved (forms check it to report every error at once). */
export async function isJurisdictionSlugFree(db: Executor, slug: string, exceptId?: number): Promise<boolean> {
  if (RESERVED_JURISDICTION_SLUGS.has(slug)) return false;
  let query = db.selectFrom('jurisdictions').select('id').where('slug', '=', slug);
  if (exceptId !== undefined) query = query.where('id', '<>', exceptId);
  return !(await query.executeTakeFirst());
}

async function assertSlugFree(db: Executor, slug: string, exceptId?: number): Promise<void> {
  if (!(await isJurisdictionSlugFree(db, slug, exceptId))) throw new SlugTakenError('slug');
}

/** Creates a jurisdiction; returns its id. Throws SlugTakenError when the slug is in use. */
export async function createJurisdiction(db: Db, actor: Actor, input: JurisdictionInput): Promise<number> {
  return withSlugGuard(UNIQUE_KEYS.jurisdictionSlug, () => runCommand(db, actor, async (trx, audit) => {
    authorize(actor, canManageJurisdictions);
    await assertSlugFree(trx, input.slug);
    const now = new Date().toISOString();
    const values = {
      slug: input.slug,
      kind: input.kind,
      country_code: input.countryCode.toUpperCase(),
      website: input.website,
      time_zone: timeZoneOf(input.timeZone ?? 'UTC'),
      name: serializeTranslatable(withLocaleText({}, input.contentLocale, input.name)),
      description: serializeTranslatable(withLocaleText({}, input.contentLocale, input.description)),
    };
    const row = await trx
      .insertInto('jurisdictions')
      .values({ ...values, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit.publish('jurisdiction.created', 'jurisdiction', row.id, { locale: input.contentLocale, ...publicChanges(undefined, values) });
    await refreshSearchDocuments(trx, row.id);
    return row.id;
  }));
}

/** Changes a jurisdiction; only the content locale's text of translatable fields changes. */
export async function updateJurisdiction(db: Db, actor: Actor, input: JurisdictionUpdate): Promise<void> {
  await withSlugGuard(UNIQUE_KEYS.jurisdictionSlug, () => runCommand(db, actor, async (trx, audit) => {
    authorize(actor, canManageJurisdictions);
    const current = await trx.selectFrom('jurisdictions').selectAll().where('id', '=', input.id).executeTakeFirst();
    if (!current) throw new Error(`No jurisdiction ${input.id}`);
    await assertSlugFree(trx, input.slug, input.id);
    const next = {
      slug: input.slug,
      kind: input.kind,
      country_code: input.countryCode.toUpperCase(),
      website: input.website,
      time_zone: input.timeZone === undefined ? current.time_zone : timeZoneOf(input.timeZone),
      name: setLocaleText(current.name, input.contentLocale, input.name),
      description: setLocaleText(current.description, input.contentLocale, input.description),
    };
    await trx
      .updateTable('jurisdictions')
      .set({ ...next, updated_at: new Date().toISOString() })
      .where('id', '=', input.id)
      .execute();
    await audit.publish('jurisdiction.updated', 'jurisdiction', input.id, {
      ...(current.slug !== input.slug ? { previousSlug: current.slug } : {}),
      locale: input.contentLocale,
      ...publicChanges(current, next),
    });
    await refreshSearchDocuments(trx, input.id);
  }));
}

export interface JurisdictionRow {
  id: number;
  slug: string;
  kind: string;
  countryCode: string;
  website: string | null;
  /** IANA time zone its times are shown in. */
  timeZone: string;
  name: Translatable;
  description: Translatable;
}

function toJurisdiction(row: { id: number; slug: string; kind: string; country_code: string; website: string | null; time_zone: string; name: string; description: string }): JurisdictionRow {
  return {
    id: row.id,
    slug: row.slug,
    kind: row.kind,
    countryCode: row.country_code,
    website: row.website,
    timeZone: row.time_zone,
    name: parseTranslatable(row.name),
    description: parseTranslatable(row.description),
  };
}

export async function findJurisdictionBySlug(db: Executor, slug: string): Promise<JurisdictionRow | undefined> {
  const row = await db.selectFrom('jurisdictions').selectAll().where('slug', '=', slug).executeTakeFirst();
  return row ? toJurisdiction(row) : undefined;
}

export async function listJurisdictions(db: Executor): Promise<JurisdictionRow[]> {
  const rows = await db.selectFrom('jurisdictions').selectAll().orderBy('slug').execute();
  return rows.map(toJurisdiction);
}

/** The institutions and plans a jurisdiction's admin page lists. */
/** A jurisdiction's institutions and plans for its admin page; plan statuses are derived for `today`. */
export async function jurisdictionContents(db: Executor, jurisdictionId: number, today: string) {
  const [institutions, plans] = await Promise.all([
    db
      .selectFrom('institutions')
      .select(['id', 'slug', 'kind', 'name'])
      .where('jurisdiction_id', '=', jurisdictionId)
      .orderBy('slug')
      .execute(),
    db
      .selectFrom('action_plans')
      .select(['id', 'slug', 'title', 'starts_on', 'ends_on', 'withdrawn_on', 'assessed_on'])
      .where('jurisdiction_id', '=', jurisdictionId)
      .orderBy('starts_on', 'desc')
      .orderBy('slug')
      .execute(),
  ]);
  return {
    institutions: institutions.map((i) => ({ id: i.id, slug: i.slug, kind: i.kind, name: parseTranslatable(i.name) })),
    plans: plans.map((p) => ({
      id: p.id,
      slug: p.slug,
      title: parseTranslatable(p.title),
      status: planStatusOf({ startsOn: p.starts_on, endsOn: p.ends_on, withdrawnOn: p.withdrawn_on, assessedOn: p.assessed_on }, today),
      startsOn: p.starts_on,
      endsOn: p.ends_on,
    })),
  };
}
