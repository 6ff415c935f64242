import type { Db } from '../../db/database.js';
import { pdb } from './tables.js';

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
