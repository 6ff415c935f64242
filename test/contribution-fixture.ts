import type { Db } from '../src/db/database.js';
import { confirmContribution, submitContribution } from '../src/modules/participation/contribution-commands.js';
import { pdb } from '../src/modules/participation/tables.js';

/**
 * Test and bench data: a jurisdiction with one open consultation (and, when asked, a closed one),
 * written straight to the tables so that the contribution tests do not depend on the consultation
 * admin pages. Not used by the app.
 */
export interface ContributionFixture {
  jurisdictionId: number;
  jurisdictionSlug: string;
  open: { id: number; slug: string };
  closed: { id: number; slug: string };
  announced: { id: number; slug: string };
}

export async function insertContributionFixture(db: Db, options: { slug?: string; moderation?: 'pre' | 'post'; flagThreshold?: number; isDemo?: boolean } = {}): Promise<ContributionFixture> {
  const slug = options.slug ?? 'gjakova';
  const now = new Date().toISOString();
  const existing = await db.selectFrom('jurisdictions').select('id').where('slug', '=', slug).executeTakeFirst();
  const jurisdictionId =
    existing?.id ??
    (
      await db
        .insertInto('jurisdictions')
        .values({ slug, name: JSON.stringify({ en: 'Municipality of Gjakova', sq: 'Komuna e Gjakovës' }), kind: 'local', country_code: 'XK', description: '{}', website: null, created_at: now, updated_at: now })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const add = async (s: string, opensOn: string, closesOn: string, title: string) =>
    (
      await pdb(db)
        .insertInto('consultations')
        .values({
          jurisdiction_id: jurisdictionId,
          slug: s,
          subject: 'topic',
          plan_id: null,
          commitment_id: null,
          title: JSON.stringify({ en: title, sq: `${title} (sq)`, 'sr-Latn': `${title} (sr)`, fr: `${title} (fr)` }),
          summary: '{}',
          body: '{}',
          opens_on: opensOn,
          closes_on: closesOn,
          moderation: options.moderation ?? 'post',
          flag_threshold: options.flagThreshold ?? 3,
          allows_proposals: 1,
          groups_consulted: null,
          public_meetings: null,
          outcome: '{}',
          published_at: now,
          responded_at: null,
          is_demo: options.isDemo ? 1 : 0,
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const open = { slug: 'open-call', id: await add('open-call', '2000-01-01', '2999-12-31', 'Open call for ideas') };
  const closed = { slug: 'closed-call', id: await add('closed-call', '2000-01-01', '2000-02-01', 'Closed call') };
  const announced = { slug: 'future-call', id: await add('future-call', '2999-01-01', '2999-12-31', 'Future call') };
  return { jurisdictionId, jurisdictionSlug: slug, open, closed, announced };
}

/**
 * For test/command-matrix.test.ts: the public's commands need no role, so the matrix runs each one
 * for every kind of person on prepared contributions of a consultation of its own ('matrix-town').
 */
const matrixFixtures = new WeakMap<object, Promise<ContributionFixture>>();
const pendingTokens = new Map<number, string>();
const erasureTokens = new Map<number, string>();

export function matrixConsultation(db: Db): Promise<ContributionFixture> {
  let fixture = matrixFixtures.get(db);
  if (!fixture) {
    fixture = insertContributionFixture(db, { slug: 'matrix-town', flagThreshold: 100 });
    matrixFixtures.set(db, fixture);
  }
  return fixture;
}

export function matrixContributionInput(consultationId: number, n: number) {
  return {
    consultationId,
    parentId: null,
    kind: 'comment',
    authorName: `Person ${n}`,
    email: `matrix-${n}-${Math.random().toString(36).slice(2)}@example.org`,
    body: `Comment ${n}`,
    theme: '',
    ogpValue: '',
    consent: true,
    locale: 'en' as const,
  };
}

/** An unconfirmed contribution (its id; its confirmation token is kept for `matrixToken`). */
export async function matrixUnconfirmed(db: Db, n: number): Promise<number> {
  const fixture = await matrixConsultation(db);
  const input = matrixContributionInput(fixture.open.id, n);
  const { id } = await submitContribution(db, input, { publicUrl: 'https://besa.example.org', ip: `198.18.${n % 250}.${Math.floor(Math.random() * 250) + 1}` });
  const mail = await db.selectFrom('mail_outbox').select('text_body').where('to_address', '=', input.email).executeTakeFirstOrThrow();
  pendingTokens.set(id, /\/contributions\/confirm\/([A-Za-z0-9_-]+)/.exec(mail.text_body)![1]!);
  erasureTokens.set(id, /\/privacy\/erase\/([A-Za-z0-9_-]+)/.exec(mail.text_body)![1]!);
  return id;
}

export function matrixToken(id: number): string {
  return pendingTokens.get(id) ?? '';
}

export function matrixErasureToken(id: number): string {
  return erasureTokens.get(id) ?? '';
}

/** A published contribution of the matrix's consultation. */
export async function matrixPublished(db: Db, n: number): Promise<number> {
  const id = await matrixUnconfirmed(db, n);
  await confirmContribution(db, matrixToken(id), 'https://besa.example.org');
  return id;
}
