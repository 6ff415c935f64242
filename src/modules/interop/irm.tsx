import { escapeHtml } from '@kitajs/html';
import type { Executor } from '../../db/database.js';
import type { MessageKey } from '../../i18n/index.js';
import { DemoTag, recordFallback } from '../../ui/components.js';
import type { PageContext } from '../../ui/context.js';
import { headerKey } from './csv.js';

/**
 * A commitment's IRM assessment as OGP's data gave it, for the public commitment page. Each rating
 * keeps its text; the codes OGP's data uses instead of a rating are told apart (docs/adr/0008):
 * `ND` no data (the IRM had nothing to rate it on), `NR` not rated (the IRM did not rate it on this),
 * `N/A` not applicable, an empty cell "not in OGP's data".
 */

export interface IrmRating {
  name: string;
  value: string | null;
}

/** A commitment's IRM ratings and where they come from: `ogp` (OGP's data) or `demo` (invented for the demonstration). */
export interface IrmAssessmentView {
  source: string;
  ratings: IrmRating[];
}

export async function findIrmAssessment(db: Executor, commitmentId: number): Promise<IrmAssessmentView | undefined> {
  const row = await db.selectFrom('irm_assessments').select(['ratings', 'source']).where('commitment_id', '=', commitmentId).executeTakeFirst();
  if (!row) return undefined;
  try {
    const ratings = JSON.parse(row.ratings) as unknown;
    if (!Array.isArray(ratings)) return undefined;
    return {
      source: row.source,
      ratings: ratings.filter((r): r is IrmRating => !!r && typeof r === 'object' && typeof (r as IrmRating).name === 'string').map((r) => ({ name: r.name, value: typeof r.value === 'string' ? r.value : null })),
    };
  } catch {
    return undefined;
  }
}

/** The IRM's rating names Besa has words for (OGP's column names, matched as headers are). */
const RATING_NAMES: Record<string, MessageKey> = {
  verifiable: 'interop.irm.name.verifiable',
  'potential impact': 'interop.irm.name.potentialImpact',
  'potential for results': 'interop.irm.name.potentialForResults',
  'completion (end of term)': 'interop.irm.name.completionEnd',
  'completion (midterm)': 'interop.irm.name.completionMid',
  'completion (mid-term)': 'interop.irm.name.completionMid',
  'did it open government (overall)': 'interop.irm.name.didItOpen',
  'early results': 'interop.irm.name.earlyResults',
};

/** The codes that are not a rating, and the IRM's usual ratings, in words. */
const VALUES: Record<string, MessageKey> = {
  nd: 'interop.irm.value.noData',
  nr: 'interop.irm.value.notRated',
  'n/a': 'interop.irm.value.notApplicable',
  na: 'interop.irm.value.notApplicable',
  yes: 'interop.irm.value.yes',
  no: 'interop.irm.value.no',
  none: 'interop.irm.value.none',
  minor: 'interop.irm.value.minor',
  moderate: 'interop.irm.value.moderate',
  transformative: 'interop.irm.value.transformative',
  'not started': 'interop.irm.value.notStarted',
  limited: 'interop.irm.value.limited',
  substantial: 'interop.irm.value.substantial',
  complete: 'interop.irm.value.complete',
  worsened: 'interop.irm.value.worsened',
  'did not change': 'interop.irm.value.didNotChange',
  marginal: 'interop.irm.value.marginal',
  major: 'interop.irm.value.major',
  outstanding: 'interop.irm.value.outstanding',
};

/** The section "IRM assessment, from OGP's data"; nothing when the commitment has none. */
export function IrmAssessment({ ctx, assessment }: { ctx: PageContext; assessment: IrmAssessmentView | undefined }): JSX.Element {
  if (!assessment || assessment.ratings.length === 0) return <></>;
  const { t } = ctx;
  const { ratings } = assessment;
  return (
    <section aria-labelledby="irm-assessment" class="irm-assessment">
      <h2 id="irm-assessment">{escapeHtml(t('interop.irm.title'))}</h2>
      <p>
        {escapeHtml(t('interop.irm.intro'))}
        {assessment.source === 'demo' ? (
          <>
            {' '}
            <DemoTag ctx={ctx} />
          </>
        ) : (
          ''
        )}
      </p>
      <dl class="facts">
        {ratings.map((r) => {
          const nameKey = RATING_NAMES[headerKey(r.name)];
          let safeName: JSX.Element;
          if (nameKey) safeName = <>{escapeHtml(t(nameKey))}</>;
          else {
            if (ctx.locale !== 'en') recordFallback(ctx, 'en');
            safeName = ctx.locale === 'en' ? <>{escapeHtml(r.name)}</> : <span lang="en">{escapeHtml(r.name)}</span>;
          }
          const valueKey = r.value === null ? 'interop.irm.value.empty' : VALUES[r.value.trim().toLowerCase()];
          let safeValue: JSX.Element;
          if (valueKey) safeValue = <>{escapeHtml(t(valueKey))}</>;
          else {
            if (ctx.locale !== 'en') recordFallback(ctx, 'en');
            safeValue = ctx.locale === 'en' ? <>{escapeHtml(r.value ?? '')}</> : <span lang="en">{escapeHtml(r.value ?? '')}</span>;
          }
          return (
            <>
              <dt>{safeName}</dt>
              <dd class={r.value === null || /^(nd|nr|n\/?a)$/i.test(r.value) ? 'missing' : undefined}>{safeValue}</dd>
            </>
          );
        })}
      </dl>
    </section>
  );
}
