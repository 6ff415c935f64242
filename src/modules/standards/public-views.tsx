import { formatDate, type MessageKey } from '../../i18n/index.js';
import { pickText } from '../../lib/translatable.js';
import { Breadcrumbs, DemoTag } from '../../ui/components.js';
import type { PageContext } from '../../ui/context.js';
import { Layout } from '../../ui/layout.js';
import { STANDARD_STATUSES, type Evidence, type Reason, type ReasonValue, type StandardItem, type StandardStatus } from './checklist.js';
import type { StandardsPlan } from './queries.js';

/** The page of a plan's checklist, `/{locale}/{jurisdiction}/plans/{plan}/standards`. */
export function standardsPath(locale: string, jurisdiction: string, plan: string): string {
  return `/${locale}/${encodeURIComponent(jurisdiction)}/plans/${encodeURIComponent(plan)}/standards`;
}

/** The shared tag colours that carry each status (the text always says it too). */
const TAG_CLASS: Record<StandardStatus, string> = { met: 'completed', not_met: 'delayed', due_soon: 'in_progress', not_applicable: 'cancelled' };

export function StandardStatusTag({ ctx, status }: { ctx: PageContext; status: StandardStatus }): JSX.Element {
  return (
    <span class={`tag tag-${TAG_CLASS[status]} standard-${status}`} safe>
      {ctx.t(`standards.status.${status}` as MessageKey)}
    </span>
  );
}

function formatValue(ctx: PageContext, name: string, value: ReasonValue): string | number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return name === 'what' ? ctx.t(`standards.what.${value}` as MessageKey) : value;
  if ('day' in value) return formatDate(ctx.locale, value.day);
  if ('interval' in value) {
    const i = value.interval;
    return 'months' in i ? ctx.t('standards.interval.months', { n: i.months }) : ctx.t('standards.interval.days', { n: i.days });
  }
  return pickText(value.text, ctx.locale);
}

/** A reason or an evidence label as text in the page's language (escaped by the caller). */
export function sentence(ctx: PageContext, reason: Pick<Reason, 'key' | 'values'>): string {
  const values = Object.fromEntries(Object.entries(reason.values).map(([k, v]) => [k, formatValue(ctx, k, v)]));
  return ctx.t(reason.key as MessageKey, values);
}

function EvidenceList({ ctx, evidence }: { ctx: PageContext; evidence: Evidence[] }): JSX.Element {
  if (!evidence.length) return <p safe>{ctx.t('standards.noEvidence')}</p>;
  return (
    <ul>
      {evidence.map((e) => (
        <li>
          <a href={`/${ctx.locale}${e.path}`} safe>
            {sentence(ctx, e)}
          </a>
          {e.isDemo ? <> <DemoTag ctx={ctx} /></> : ''}
        </li>
      ))}
    </ul>
  );
}

function Item({ ctx, item }: { ctx: PageContext; item: StandardItem }): JSX.Element {
  const { t } = ctx;
  const heading = `standard-${item.id}`;
  return (
    <section aria-labelledby={heading} class="standard">
      <h2 id={heading} safe>
        {t(`standards.item.${item.id}` as MessageKey)}
      </h2>
      <p class="hint" safe>
        {t(`standards.measure.${item.id}` as MessageKey)}
      </p>
      <dl class="facts">
        <dt safe>{t('standards.statusLabel')}</dt>
        <dd>
          <StandardStatusTag ctx={ctx} status={item.status} />
        </dd>
        <dt safe>{t('standards.whyLabel')}</dt>
        <dd>
          {item.reasons.map((r) => (
            <p safe>{sentence(ctx, r)}</p>
          ))}
        </dd>
        {item.evidence.length || !item.commitments ? (
          <>
            <dt safe>{t('standards.evidenceLabel')}</dt>
            <dd>
              <EvidenceList ctx={ctx} evidence={item.evidence} />
            </dd>
          </>
        ) : (
          ''
        )}
      </dl>
      {item.commitments?.length ? (
        <div class="table-wrap">
          <table class="stacked">
            <caption safe>{t('standards.commitments.caption')}</caption>
            <thead>
              <tr>
                <th scope="col" safe>
                  {t('standards.commitments.commitment')}
                </th>
                <th scope="col" safe>
                  {t('standards.statusLabel')}
                </th>
                <th scope="col" safe>
                  {t('standards.whyLabel')}
                </th>
              </tr>
            </thead>
            <tbody>
              {item.commitments.map((c) => (
                <tr>
                  <th scope="row">
                    <a href={`/${ctx.locale}${c.path}`} safe>
                      {`${c.code} ${pickText(c.title, ctx.locale)}`.trim()}
                    </a>
                  </th>
                  <td data-label={t('standards.statusLabel')}>
                    <StandardStatusTag ctx={ctx} status={c.status} />
                  </td>
                  <td data-label={t('standards.whyLabel')} safe>
                    {sentence(ctx, c.reason)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        ''
      )}
    </section>
  );
}

export function StandardsPage({ ctx, plan, items, today, demo }: { ctx: PageContext; plan: StandardsPlan; items: StandardItem[]; today: string; demo: boolean }): JSX.Element {
  const { t, locale } = ctx;
  const title = t('standards.title');
  const planTitle = pickText(plan.title, locale) || plan.slug;
  const jurisdictionName = pickText(plan.jurisdiction.name, locale) || plan.jurisdiction.slug;
  const count = (s: (typeof STANDARD_STATUSES)[number]) => items.filter((i) => i.status === s).length;
  return (
    <Layout ctx={ctx} title={`${title} · ${planTitle}`} demo={demo}>
      <Breadcrumbs
        ctx={ctx}
        items={[
          { href: `/${locale}/`, label: t('ui.nav.home') },
          { href: `/${locale}/${plan.jurisdiction.slug}`, label: jurisdictionName },
          { href: `/${locale}/${plan.jurisdiction.slug}/plans/${plan.slug}`, label: planTitle },
          { label: title },
        ]}
      />
      <h1 safe>{title}</h1>
      <p class="lead" safe>
        {planTitle}
      </p>
      <p safe>{t('standards.intro', { date: formatDate(locale, today), jurisdiction: jurisdictionName })}</p>
      <p>
        <strong safe>{t('standards.summary', { met: count('met'), notMet: count('not_met'), dueSoon: count('due_soon'), notApplicable: count('not_applicable') })}</strong>
      </p>
      {items.map((item) => (
        <Item ctx={ctx} item={item} />
      ))}
    </Layout>
  );
}
