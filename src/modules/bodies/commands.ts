import type { Db, Executor } from '../../db/database.js';
import { isUniqueViolationOf, type UniqueKey } from '../../db/errors.js';
import type { Locale } from '../../i18n/locales.js';
import { FormErrors, hasUnstorable, isIsoDate } from '../../lib/forms.js';
import { parseTranslatable, setLocaleText } from '../../lib/translatable.js';
import { NotFoundError } from '../../plugins/errors.js';
import { authorize, runCommand, type Actor, type AuditRecorder } from '../audit/index.js';
import { refreshSearchDocuments } from '../search/index.js';
import { publicChanges } from '../transparency/index.js';
import { BODY_KINDS, COMPOSITION_RULES, GROUPS, MEMBER_ROLES, SECTORS, SLUG } from './domain.js';
import { canManageBodies } from './policy.js';
import { countAttendance } from './queries.js';
import { bdb } from './tables.js';

/**
 * Every change to bodies and their members, each through runCommand: checked against the actor's
 * roles (canManageBodies), validated inside the transaction, written, published to the transparency
 * log with public facts only (never an e-mail address; a person's name only with recorded consent),
 * and the jurisdiction's search documents rebuilt.
 *
 * Translatable fields are written one content locale at a time: the other locales keep their text.
 */

export const BODY_TEXT_FIELDS = ['name', 'mandate', 'rules'] as const;
export type BodyTextField = (typeof BODY_TEXT_FIELDS)[number];

export const NAME_MAX = 300;
export const TEXT_MAX = 20_000;
export const PERSON_NAME_MAX = 200;
export const EMAIL_MAX = 254;
export const RHYTHM_MIN = 1;
export const RHYTHM_MAX = 366;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const BODY_SLUG_KEY: UniqueKey = { constraint: 'bodies_jurisdiction_slug', table: 'bodies', columns: ['jurisdiction_id', 'slug'] };

/** The input was refused; `errors` are keyed by form field name and carry message keys. */
export class BodiesInputError extends Error {
  constructor(readonly errors: FormErrors) {
    super(`Invalid input: ${errors.list.map((e) => `${e.field} (${e.message})`).join(', ')}`);
  }
}

export interface BodyInput {
  /** Errors already found while reading the form (text that cannot be stored). */
  formErrors?: FormErrors | undefined;
  kind: string;
  /** A working group's forum; ignored for the other kinds. */
  parentId: number | null;
  slug: string;
  /** The content language of `texts`. */
  locale: Locale;
  /** This locale's text of each translatable field; an empty string removes it. Missing fields are left alone. */
  texts: Partial<Record<BodyTextField, string>>;
  compositionRules: string[];
  /** null: no rhythm stated; NaN (or any non-integer): refused. */
  meetsEveryDays: number | null;
  establishedOn: string | null;
}

export interface NewBody extends BodyInput {
  jurisdictionId: number;
  isDemo?: boolean;
}

export interface BodyChange extends BodyInput {
  bodyId: number;
}

export interface MemberInput {
  formErrors?: FormErrors | undefined;
  /** The content language of `organisation`. */
  locale: Locale;
  /** The organisation's name in `locale` (empty removes it in that locale). */
  organisation: string;
  personName: string;
  /** The person agreed to the publication of their name (sets name_consent_at; unchecked clears it). */
  nameConsent: boolean;
  /** Private: for meeting reminders only. */
  email: string;
  sector: string;
  representedGroups: string[];
  role: string;
  termStart: string | null;
  termEnd: string | null;
}

export interface NewMember extends MemberInput {
  bodyId: number;
  isDemo?: boolean;
}

export interface MemberChange extends MemberInput {
  memberId: number;
}

function addFormErrors(errors: FormErrors, found: FormErrors | undefined): void {
  for (const e of found?.list ?? []) errors.add(e.field, e.message, e.values);
}

function checkText(errors: FormErrors, field: string, text: string | undefined, max: number): void {
  if (text === undefined) return;
  if (hasUnstorable(text)) errors.add(field, 'form.error.character');
  else if (text.trim().length > max) errors.add(field, 'form.error.tooLong', { max });
}

function checkOptionalDate(errors: FormErrors, field: string, value: string | null): boolean {
  if (value === null || value === '') return false;
  if (!isIsoDate(value)) {
    errors.add(field, 'form.error.date');
    return false;
  }
  return true;
}

/** The stored JSON of each translatable field after an edit in one locale. */
function mergeTexts(stored: Partial<Record<BodyTextField, string>>, locale: Locale, given: Partial<Record<BodyTextField, string>>): Record<BodyTextField, string> {
  const out = {} as Record<BodyTextField, string>;
  for (const field of BODY_TEXT_FIELDS) {
    const text = given[field];
    out[field] = text === undefined ? (stored[field] ?? '{}') : setLocaleText(stored[field] ?? '{}', locale, text.trim());
  }
  return out;
}

async function jurisdictionOfBody(db: Executor, bodyId: number) {
  const row = await bdb(db).selectFrom('bodies').selectAll().where('id', '=', bodyId).executeTakeFirst();
  if (!row) throw new NotFoundError();
  return row;
}

async function checkBody(db: Executor, jurisdictionId: number, bodyId: number | undefined, input: BodyInput, errors: FormErrors): Promise<number | null> {
  addFormErrors(errors, input.formErrors);
  if (!(BODY_KINDS as readonly string[]).includes(input.kind)) errors.add('kind', input.kind ? 'form.error.choice' : 'form.error.required');
  let parentId: number | null = null;
  if (input.kind === 'working_group') {
    if (input.parentId === null) errors.add('parent_id', 'bodies.error.parent');
    else {
      const parent = await bdb(db).selectFrom('bodies').select(['id', 'kind']).where('id', '=', input.parentId).where('jurisdiction_id', '=', jurisdictionId).executeTakeFirst();
      if (!parent || parent.kind !== 'forum' || parent.id === bodyId) errors.add('parent_id', 'bodies.error.parent');
      else parentId = parent.id;
    }
  }
  const slug = input.slug.trim();
  if (!slug) errors.add('slug', 'form.error.required');
  else if (!SLUG.test(slug) || slug.length > 80) errors.add('slug', 'form.error.slug');
  else {
    let query = bdb(db).selectFrom('bodies').select('id').where('jurisdiction_id', '=', jurisdictionId).where('slug', '=', slug);
    if (bodyId !== undefined) query = query.where('id', '<>', bodyId);
    if (await query.executeTakeFirst()) errors.add('slug', 'form.error.taken');
  }
  checkText(errors, 'name', input.texts.name, NAME_MAX);
  checkText(errors, 'mandate', input.texts.mandate, TEXT_MAX);
  checkText(errors, 'rules', input.texts.rules, TEXT_MAX);
  if (input.compositionRules.some((r) => !(COMPOSITION_RULES as readonly string[]).includes(r))) errors.add('composition_rules', 'form.error.choice');
  if (input.meetsEveryDays !== null && (!Number.isInteger(input.meetsEveryDays) || input.meetsEveryDays < RHYTHM_MIN || input.meetsEveryDays > RHYTHM_MAX)) {
    errors.add('meets_every_days', 'form.error.integer', { min: RHYTHM_MIN, max: RHYTHM_MAX });
  }
  checkOptionalDate(errors, 'established_on', input.establishedOn);
  return parentId;
}

/** The body's public facts, as published in the log. */
function bodyFacts(values: { kind: string; parent_id: number | null; slug: string; name: string; mandate: string; rules: string; composition_rules: string; meets_every_days: number | null; established_on: string | null }) {
  return {
    kind: values.kind,
    parent_id: values.parent_id,
    slug: values.slug,
    name: values.name,
    mandate: values.mandate,
    rules: values.rules,
    composition_rules: values.composition_rules,
    meets_every_days: values.meets_every_days,
    established_on: values.established_on,
  };
}

async function withSlugGuard<T>(change: () => Promise<T>): Promise<T> {
  try {
    return await change();
  } catch (error) {
    if (!isUniqueViolationOf(error, BODY_SLUG_KEY)) throw error;
    const errors = new FormErrors();
    errors.add('slug', 'form.error.taken');
    throw new BodiesInputError(errors);
  }
}

/** Creates a body (forum, monitoring body or working group) in a jurisdiction, in one content locale. */
export async function createBody(db: Db, actor: Actor, input: NewBody): Promise<{ id: number; slug: string }> {
  return withSlugGuard(() =>
    runCommand(db, actor, async (trx, audit) => {
      authorize(actor, (user) => canManageBodies(user, input.jurisdictionId));
      const jurisdiction = await trx.selectFrom('jurisdictions').select('id').where('id', '=', input.jurisdictionId).executeTakeFirst();
      if (!jurisdiction) throw new NotFoundError();
      const errors = new FormErrors();
      const parentId = await checkBody(trx, input.jurisdictionId, undefined, input, errors);
      if (!(input.texts.name ?? '').trim()) errors.add('name', 'form.error.required');
      if (errors.any) throw new BodiesInputError(errors);
      const now = new Date().toISOString();
      const last = await bdb(trx).selectFrom('bodies').select((eb) => eb.fn.max('position').as('max')).where('jurisdiction_id', '=', input.jurisdictionId).executeTakeFirst();
      const values = {
        kind: input.kind,
        parent_id: parentId,
        slug: input.slug.trim(),
        ...mergeTexts({}, input.locale, input.texts),
        composition_rules: JSON.stringify(COMPOSITION_RULES.filter((r) => input.compositionRules.includes(r))),
        meets_every_days: input.meetsEveryDays,
        established_on: input.establishedOn || null,
      };
      const row = await bdb(trx)
        .insertInto('bodies')
        .values({ ...values, jurisdiction_id: input.jurisdictionId, position: Number(last?.max ?? -1) + 1, is_demo: input.isDemo ? 1 : 0, created_at: now, updated_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      await audit.publish('body.created', 'body', row.id, { locale: input.locale, ...publicChanges(undefined, bodyFacts(values)) });
      await refreshSearchDocuments(trx, input.jurisdictionId);
      return { id: row.id, slug: values.slug };
    }),
  );
}

/** Edits a body in one content locale; the other locales keep their text. */
export async function updateBody(db: Db, actor: Actor, input: BodyChange): Promise<{ id: number; slug: string }> {
  return withSlugGuard(() =>
    runCommand(db, actor, async (trx, audit) => {
      const stored = await jurisdictionOfBody(trx, input.bodyId);
      authorize(actor, (user) => canManageBodies(user, stored.jurisdiction_id));
      const errors = new FormErrors();
      const parentId = await checkBody(trx, stored.jurisdiction_id, stored.id, input, errors);
      const texts = mergeTexts(stored, input.locale, input.texts);
      if (Object.keys(parseTranslatable(texts.name)).length === 0) errors.add('name', 'form.error.required');
      if (input.kind !== 'forum' && stored.kind === 'forum') {
        const groups = await bdb(trx).selectFrom('bodies').select('id').where('parent_id', '=', stored.id).executeTakeFirst();
        if (groups) errors.add('kind', 'bodies.error.hasGroups');
      }
      if (errors.any) throw new BodiesInputError(errors);
      const values = {
        kind: input.kind,
        parent_id: parentId,
        slug: input.slug.trim(),
        ...texts,
        composition_rules: JSON.stringify(COMPOSITION_RULES.filter((r) => input.compositionRules.includes(r))),
        meets_every_days: input.meetsEveryDays,
        established_on: input.establishedOn || null,
      };
      const changes = publicChanges(bodyFacts(stored), bodyFacts(values));
      if (changes.changed.length === 0) return { id: stored.id, slug: stored.slug };
      await bdb(trx).updateTable('bodies').set({ ...values, updated_at: new Date().toISOString() }).where('id', '=', stored.id).execute();
      await audit.publish('body.updated', 'body', stored.id, { locale: input.locale, ...changes });
      await refreshSearchDocuments(trx, stored.jurisdiction_id);
      return { id: stored.id, slug: values.slug };
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// Members

function checkMember(input: MemberInput, storedOrganisation: string, errors: FormErrors): string {
  addFormErrors(errors, input.formErrors);
  checkText(errors, 'organisation', input.organisation, NAME_MAX);
  checkText(errors, 'person_name', input.personName, PERSON_NAME_MAX);
  const organisation = setLocaleText(storedOrganisation, input.locale, input.organisation.trim());
  if (Object.keys(parseTranslatable(organisation)).length === 0 && !input.personName.trim()) errors.add('organisation', 'bodies.error.who');
  if (input.nameConsent && !input.personName.trim()) errors.add('name_consent', 'bodies.error.consentWithoutName');
  const email = input.email.trim();
  if (email && (!EMAIL.test(email) || email.length > EMAIL_MAX)) errors.add('email', 'accounts.error.email');
  if (!(SECTORS as readonly string[]).includes(input.sector)) errors.add('sector', input.sector ? 'form.error.choice' : 'form.error.required');
  if (input.representedGroups.some((g) => !(GROUPS as readonly string[]).includes(g))) errors.add('represented_groups', 'form.error.choice');
  if (!(MEMBER_ROLES as readonly string[]).includes(input.role)) errors.add('role', input.role ? 'form.error.choice' : 'form.error.required');
  const startOk = checkOptionalDate(errors, 'term_start', input.termStart);
  const endOk = checkOptionalDate(errors, 'term_end', input.termEnd);
  if (startOk && endOk && (input.termEnd ?? '') < (input.termStart ?? '')) errors.add('term_end', 'form.error.dateOrder');
  return organisation;
}

type MemberValues = {
  organisation: string;
  person_name: string | null;
  name_consent_at: string | null;
  email: string | null;
  sector: string;
  represented_groups: string;
  role: string;
  term_start: string | null;
  term_end: string | null;
};

/**
 * What the log may say about a member: the organisation, sector, groups, role and term, and the
 * person's name only while consent is recorded. Never the e-mail address.
 */
export function memberFacts(bodyId: number, v: MemberValues) {
  return {
    body_id: bodyId,
    organisation: v.organisation,
    // Whether a person is named, never the name: consent can be withdrawn, the log cannot forget.
    // The name itself shows only from the member's row, while consent stands.
    named_person: !!(v.name_consent_at && v.person_name),
    sector: v.sector,
    represented_groups: v.represented_groups,
    role: v.role,
    term_start: v.term_start,
    term_end: v.term_end,
  };
}

function memberValues(input: MemberInput, organisation: string, consentAt: string | null): MemberValues {
  const name = input.personName.trim();
  return {
    organisation,
    person_name: name || null,
    name_consent_at: name && input.nameConsent ? consentAt : null,
    email: input.email.trim() || null,
    sector: input.sector,
    represented_groups: JSON.stringify(GROUPS.filter((g) => input.representedGroups.includes(g))),
    role: input.role,
    term_start: input.termStart || null,
    term_end: input.termEnd || null,
  };
}

/** Adds a member to a body. */
export async function addBodyMember(db: Db, actor: Actor, input: NewMember): Promise<{ id: number }> {
  return runCommand(db, actor, async (trx, audit) => {
    const body = await jurisdictionOfBody(trx, input.bodyId);
    authorize(actor, (user) => canManageBodies(user, body.jurisdiction_id));
    const errors = new FormErrors();
    const organisation = checkMember(input, '{}', errors);
    if (errors.any) throw new BodiesInputError(errors);
    const now = new Date().toISOString();
    const values = memberValues(input, organisation, now);
    const last = await bdb(trx).selectFrom('body_members').select((eb) => eb.fn.max('position').as('max')).where('body_id', '=', body.id).executeTakeFirst();
    const row = await bdb(trx)
      .insertInto('body_members')
      .values({ ...values, body_id: body.id, institution_id: null, position: Number(last?.max ?? -1) + 1, is_demo: input.isDemo ? 1 : 0, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await publishMember(audit, 'body_member.added', row.id, publicChanges(undefined, memberFacts(body.id, values)));
    await refreshSearchDocuments(trx, body.jurisdiction_id);
    return { id: row.id };
  });
}

async function publishMember(audit: AuditRecorder, action: string, memberId: number, changes: { changed: string[]; values: Record<string, unknown> }): Promise<void> {
  await audit.publish(action, 'body_member', memberId, changes);
}

async function storedMember(db: Executor, memberId: number) {
  const member = await bdb(db).selectFrom('body_members').selectAll().where('id', '=', memberId).executeTakeFirst();
  if (!member) throw new NotFoundError();
  const body = await jurisdictionOfBody(db, member.body_id);
  return { member, body };
}

/** Edits a member; consent given now is dated now, consent kept keeps its date, consent withdrawn clears it. */
export async function updateBodyMember(db: Db, actor: Actor, input: MemberChange): Promise<{ id: number; bodyId: number }> {
  return runCommand(db, actor, async (trx, audit) => {
    const { member, body } = await storedMember(trx, input.memberId);
    authorize(actor, (user) => canManageBodies(user, body.jurisdiction_id));
    const errors = new FormErrors();
    const organisation = checkMember(input, member.organisation, errors);
    if (errors.any) throw new BodiesInputError(errors);
    const now = new Date().toISOString();
    const sameName = (member.person_name ?? '') === input.personName.trim();
    const values = memberValues(input, organisation, member.name_consent_at && sameName ? member.name_consent_at : now);
    const changes = publicChanges(memberFacts(body.id, member), memberFacts(body.id, values));
    // A change of private fields only (the e-mail address) is recorded, not published, and leaves the
    // member's public change date (recent changes) as it was.
    await bdb(trx)
      .updateTable('body_members')
      .set({ ...values, updated_at: changes.changed.length > 0 ? now : member.updated_at })
      .where('id', '=', member.id)
      .execute();
    if (changes.changed.length > 0) {
      await publishMember(audit, 'body_member.updated', member.id, changes);
      await refreshSearchDocuments(trx, body.jurisdiction_id);
    } else {
      await audit.record('body_member.updated', 'body_member', member.id, { private: true });
    }
    return { id: member.id, bodyId: body.id };
  });
}

/** Removes a member from a body (their earlier published entries stay in the log). */
export async function removeBodyMember(db: Db, actor: Actor, input: { memberId: number }): Promise<{ bodyId: number }> {
  return runCommand(db, actor, async (trx, audit) => {
    const { member, body } = await storedMember(trx, input.memberId);
    authorize(actor, (user) => canManageBodies(user, body.jurisdiction_id));
    // Removing would erase them from past attendance rolls: their term is ended instead.
    if ((await countAttendance(trx, member.id)) > 0) {
      const errors = new FormErrors();
      errors.add('confirm', 'bodies.admin.removeAttended');
      throw new BodiesInputError(errors);
    }
    await bdb(trx).deleteFrom('body_members').where('id', '=', member.id).execute();
    // The body's membership changed: its recent change (recent.ts) is now.
    await bdb(trx).updateTable('bodies').set({ updated_at: new Date().toISOString() }).where('id', '=', body.id).execute();
    await publishMember(audit, 'body_member.removed', member.id, { changed: ['removed'], values: { body_id: body.id, removed: true } });
    await refreshSearchDocuments(trx, body.jurisdiction_id);
    return { bodyId: body.id };
  });
}
