import type { Db, Executor } from '../../db/database.js';
import { SlugTakenError, UNIQUE_KEYS, withSlugGuard } from '../../db/errors.js';
import type { Locale } from '../../i18n/locales.js';
import { parseTranslatable, serializeTranslatable, setLocaleText, withLocaleText, type Translatable } from '../../lib/translatable.js';
import { canManageContent } from '../accounts/index.js';
import { authorize, runCommand, type Actor } from '../audit/index.js';
import { publicChanges } from '../transparency/index.js';
import type { InstitutionKind } from '../commitments/domain.js';
import { refreshSearchDocuments } from '../search/index.js';

/** Commands that change institutions, and the reads their admin pages need. */

const RESERVED_SLUGS = new Set(['new']);

export interface InstitutionInput {
  jurisdictionId: number;
  slug: string;
  kind: InstitutionKind;
  website: string | null;
  /** The content language the translatable fields below are written in. */
  contentLocale: Locale;
  name: string;
  description: string;
}

export interface InstitutionUpdate extends Omit<InstitutionInput, 'jurisdictionId'> {
  id: number;
}

/** True when the slug is free within the jurisdiction (forms check it to report every error at once). */
export async function isInstitutionSlugFree(db: Executor, jurisdictionId: number, slug: string, exceptId?: number): Promise<boolean> {
  if (RESERVED_SLUGS.has(slug)) return false;
  let query = db.selectFrom('institutions').select('id').where('jurisdiction_id', '=', jurisdictionId).where('slug', '=', slug);
  if (exceptId !== undefined) query = query.where('id', '<>', exceptId);
  return !(await query.executeTakeFirst());
}

/** Creates an institution in a jurisdiction; returns its id. Throws SlugTakenError when the slug is in use there. */
export async function createInstitution(db: Db, actor: Actor, input: InstitutionInput): Promise<number> {
  return withSlugGuard(UNIQUE_KEYS.institutionSlug, () => runCommand(db, actor, async (trx, audit) => {
    authorize(actor, (user) => canManageContent(user, input.jurisdictionId));
    if (!(await isInstitutionSlugFree(trx, input.jurisdictionId, input.slug))) throw new SlugTakenError('slug');
    const now = new Date().toISOString();
    const values = {
      jurisdiction_id: input.jurisdictionId,
      slug: input.slug,
      kind: input.kind,
      website: input.website,
      name: serializeTranslatable(withLocaleText({}, input.contentLocale, input.name)),
      description: serializeTranslatable(withLocaleText({}, input.contentLocale, input.description)),
    };
    const row = await trx
      .insertInto('institutions')
      .values({ ...values, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit.publish('institution.created', 'institution', row.id, { locale: input.contentLocale, ...publicChanges(undefined, values) });
    await refreshSearchDocuments(trx, input.jurisdictionId);
    return row.id;
  }));
}

/** Changes an institution; only the content locale's text of translatable fields changes. */
export async function updateInstitution(db: Db, actor: Actor, input: InstitutionUpdate): Promise<void> {
  await withSlugGuard(UNIQUE_KEYS.institutionSlug, () => runCommand(db, actor, async (trx, audit) => {
    const current = await trx.selectFrom('institutions').selectAll().where('id', '=', input.id).executeTakeFirst();
    if (!current) throw new Error(`No institution ${input.id}`);
    authorize(actor, (user) => canManageContent(user, current.jurisdiction_id));
    if (!(await isInstitutionSlugFree(trx, current.jurisdiction_id, input.slug, input.id))) throw new SlugTakenError('slug');
    const next = {
      slug: input.slug,
      kind: input.kind,
      website: input.website,
      name: setLocaleText(current.name, input.contentLocale, input.name),
      description: setLocaleText(current.description, input.contentLocale, input.description),
    };
    await trx
      .updateTable('institutions')
      .set({ ...next, updated_at: new Date().toISOString() })
      .where('id', '=', input.id)
      .execute();
    await audit.publish('institution.updated', 'institution', input.id, {
      jurisdictionId: current.jurisdiction_id,
      ...(current.slug !== input.slug ? { previousSlug: current.slug } : {}),
      locale: input.contentLocale,
      ...publicChanges(current, next),
    });
    await refreshSearchDocuments(trx, current.jurisdiction_id);
  }));
}

export interface InstitutionRow {
  id: number;
  jurisdictionId: number;
  slug: string;
  kind: string;
  website: string | null;
  name: Translatable;
  description: Translatable;
}

function toInstitution(row: { id: number; jurisdiction_id: number; slug: string; kind: string; website: string | null; name: string; description: string }): InstitutionRow {
  return {
    id: row.id,
    jurisdictionId: row.jurisdiction_id,
    slug: row.slug,
    kind: row.kind,
    website: row.website,
    name: parseTranslatable(row.name),
    description: parseTranslatable(row.description),
  };
}

export async function findInstitutionBySlug(db: Executor, jurisdictionId: number, slug: string): Promise<InstitutionRow | undefined> {
  const row = await db.selectFrom('institutions').selectAll().where('jurisdiction_id', '=', jurisdictionId).where('slug', '=', slug).executeTakeFirst();
  return row ? toInstitution(row) : undefined;
}

export async function listInstitutions(db: Executor, jurisdictionId: number): Promise<InstitutionRow[]> {
  const rows = await db.selectFrom('institutions').selectAll().where('jurisdiction_id', '=', jurisdictionId).orderBy('slug').execute();
  return rows.map(toInstitution);
}
