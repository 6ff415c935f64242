import type { Db } from '../../db/database.js';
import { parseTranslatable, pickText, type Translatable } from '../../lib/translatable.js';
import type { PageContext } from '../../ui/context.js';
import type { PolicyUser } from '../accounts/index.js';
import { adminMonitoringPath, adminRecommendationsPath } from './admin-views.js';
import { canRespondToRecommendation, canWriteReviews } from './policy.js';
import { vdb } from './tables.js';

/** What the administration's start page offers a person in reviews. */
export interface ReviewsHomeLinks {
  /** Plans whose reviews the person writes (monitoring members, administrators). */
  plans: { jurisdiction: string; plan: string; title: Translatable }[];
  /** Jurisdictions with published recommendations waiting for a response the person may give. */
  waiting: { jurisdiction: string; name: Translatable; count: number }[];
}

export async function reviewsHomeLinks(db: Db, user: PolicyUser): Promise<ReviewsHomeLinks> {
  if (!user?.roles.length) return { plans: [], waiting: [] };
  const plans = await db
    .selectFrom('action_plans')
    .innerJoin('jurisdictions', 'jurisdictions.id', 'action_plans.jurisdiction_id')
    .select(['action_plans.slug', 'action_plans.title', 'jurisdictions.id as jid', 'jurisdictions.slug as jslug'])
    .orderBy('jurisdictions.slug')
    .orderBy('action_plans.starts_on', 'desc')
    .limit(200)
    .execute();
  const open = await vdb(db)
    .selectFrom('recommendations')
    .innerJoin('reviews', 'reviews.id', 'recommendations.review_id')
    .innerJoin('commitments', 'commitments.id', 'reviews.commitment_id')
    .innerJoin('action_plans', 'action_plans.id', 'commitments.action_plan_id')
    .innerJoin('jurisdictions', 'jurisdictions.id', 'action_plans.jurisdiction_id')
    .select(['recommendations.institution_id', 'jurisdictions.id as jid', 'jurisdictions.slug as jslug', 'jurisdictions.name as jname'])
    .where('recommendations.status', '=', 'open')
    .where('recommendations.response', 'is', null)
    .where('reviews.status', '=', 'published')
    .execute();
  const waiting = new Map<string, { jurisdiction: string; name: Translatable; count: number }>();
  for (const r of open) {
    if (!canRespondToRecommendation(user, r.jid, r.institution_id)) continue;
    const entry = waiting.get(r.jslug) ?? { jurisdiction: r.jslug, name: parseTranslatable(r.jname), count: 0 };
    entry.count++;
    waiting.set(r.jslug, entry);
  }
  return {
    plans: plans.filter((p) => canWriteReviews(user, p.jid)).map((p) => ({ jurisdiction: p.jslug, plan: p.slug, title: parseTranslatable(p.title) })),
    waiting: [...waiting.values()],
  };
}

/** The start page's card: the monitoring reviews to write, the recommendations waiting for a response. */
export function ReviewsHomeCard({ ctx, links }: { ctx: PageContext; links: ReviewsHomeLinks }): JSX.Element {
  const { t, locale } = ctx;
  if (links.plans.length === 0 && links.waiting.length === 0) return <></>;
  return (
    <section class="admin-card" aria-labelledby="card-reviews">
      <h2 id="card-reviews" safe>{t('reviews.admin.title')}</h2>
      <p safe>{t('reviews.admin.homeText')}</p>
      <ul>
        {links.plans.map((p) => (
          <li>
            <a href={adminMonitoringPath(locale, p.jurisdiction, p.plan)} safe>
              {t('reviews.admin.homeLink', { plan: pickText(p.title, locale) || p.plan })}
            </a>
          </li>
        ))}
        {links.waiting.map((w) => (
          <li>
            <a href={adminRecommendationsPath(locale, w.jurisdiction)} safe>
              {t('reviews.admin.waitingLink', { count: w.count, jurisdiction: pickText(w.name, locale) || w.jurisdiction })}
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}
