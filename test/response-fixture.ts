import type { Executor } from '../src/db/database.js';
import { pdb } from '../src/modules/participation/tables.js';

/**
 * Test data for the moderation and response tests (and the shared matrices): consultations and
 * contributions written straight to the tables, as the consultation and contribution parts of the
 * module would leave them. Not used by the app.
 */

export async function insertTestConsultation(
  db: Executor,
  input: { jurisdictionId: number; slug: string; planId?: number | null; commitmentId?: number | null; opensOn?: string; closesOn?: string; moderation?: 'pre' | 'post'; published?: boolean; title?: Record<string, string>; isDemo?: boolean },
): Promise<number> {
  const now = new Date().toISOString();
  const row = await pdb(db)
    .insertInto('consultations')
    .values({
      jurisdiction_id: input.jurisdictionId,
      slug: input.slug,
      subject: input.planId ? 'plan' : input.commitmentId ? 'commitment' : 'topic',
      plan_id: input.planId ?? null,
      commitment_id: input.commitmentId ?? null,
      title: JSON.stringify(input.title ?? { en: `Consultation ${input.slug}`, sq: `Konsultimi ${input.slug}` }),
      summary: '{}',
      body: '{}',
      opens_on: input.opensOn ?? '2024-01-01',
      closes_on: input.closesOn ?? '2024-02-01',
      moderation: input.moderation ?? 'post',
      flag_threshold: 3,
      allows_proposals: 1,
      groups_consulted: null,
      public_meetings: null,
      outcome: '{}',
      published_at: input.published === false ? null : now,
      responded_at: null,
      is_demo: input.isDemo ? 1 : 0,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function insertTestContribution(
  db: Executor,
  input: {
    consultationId: number;
    id?: number;
    status?: 'unconfirmed' | 'pending' | 'published' | 'hidden';
    kind?: 'comment' | 'proposal';
    authorName?: string | null;
    email?: string | null;
    locale?: string;
    body?: string;
    theme?: string | null;
    parentId?: number | null;
    depth?: number;
    flags?: string[];
    isDemo?: boolean;
    createdAt?: string;
    /** Defaults to the creation time for published and hidden ones; null: hidden without ever being published (refused in pre-moderation). */
    publishedAt?: string | null;
  },
): Promise<number> {
  const now = input.createdAt ?? new Date().toISOString();
  const status = input.status ?? 'published';
  const row = await pdb(db)
    .insertInto('contributions')
    .values({
      ...(input.id ? { id: input.id } : {}),
      consultation_id: input.consultationId,
      parent_id: input.parentId ?? null,
      depth: input.depth ?? 0,
      kind: input.kind ?? 'comment',
      author_name: input.authorName === undefined ? 'Arta K.' : input.authorName,
      email: input.email === undefined ? 'arta.contributor@example.org' : input.email,
      email_hash: input.email === null ? null : 'hash',
      locale: input.locale ?? 'sq',
      body: input.body ?? 'We ask for the budget to be published every month.',
      theme: input.theme ?? null,
      ogp_value: null,
      status,
      confirm_token_hash: null,
      confirm_expires_at: null,
      confirmed_at: status === 'unconfirmed' ? null : now,
      published_at: input.publishedAt !== undefined ? input.publishedAt : status === 'published' || status === 'hidden' ? now : null,
      hidden_at: status === 'hidden' ? now : null,
      hidden_reason: status === 'hidden' ? 'Insults' : null,
      flag_count: input.flags?.length ?? 0,
      anonymised_at: input.authorName === null ? now : null,
      is_demo: input.isDemo ? 1 : 0,
      created_at: now,
      updated_at: now,
    } as never)
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const reason of input.flags ?? []) {
    await pdb(db).insertInto('contribution_flags').values({ contribution_id: row.id, reason, reporter_hash: `r${Math.random()}`, created_at: now, resolved_at: null }).execute();
  }
  return row.id;
}

/**
 * The matrices' consultation: Gjakova's `responses-matrix`, closed, on the seeded plan, with a
 * pending flagged comment (id 900001) and a published one (id 900002).
 */
export const MATRIX_CONSULTATION = 'responses-matrix';
export const MATRIX_PENDING = 900001;
export const MATRIX_PUBLISHED = 900002;

export async function insertResponsesMatrixFixture(db: Executor, gjakovaId: number, planId: number): Promise<void> {
  const consultationId = await insertTestConsultation(db, { jurisdictionId: gjakovaId, slug: MATRIX_CONSULTATION, planId });
  await insertTestContribution(db, { consultationId, id: MATRIX_PENDING, status: 'pending', flags: ['spam', 'rude'] });
  await insertTestContribution(db, { consultationId, id: MATRIX_PUBLISHED, status: 'published' });
}

/** The consultation of that slug in the jurisdiction, made on first use (for the command matrix). */
export async function ensureTestConsultation(db: Executor, jurisdictionId: number, slug: string): Promise<number> {
  const found = await pdb(db).selectFrom('consultations').select('id').where('jurisdiction_id', '=', jurisdictionId).where('slug', '=', slug).executeTakeFirst();
  return found ? found.id : insertTestConsultation(db, { jurisdictionId, slug });
}
