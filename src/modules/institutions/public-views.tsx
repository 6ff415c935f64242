import { escapeHtml } from '@kitajs/html';
import { formatDate, type MessageKey } from '../../i18n/index.js';
import { pick, pickText } from '../../lib/translatable.js';
import { Breadcrumbs, DemoTag, Localized, LocalizedLink, StatusTag } from '../../ui/components.js';
import type { PageContext } from '../../ui/context.js';
import { Layout } from '../../ui/layout.js';
import { NO_PROVENANCE, SourceNotes, type Provenance } from '../provenance/index.js';
import { ReportPunctuality, type PunctualityRow } from '../reporting/index.js';
import type { InstitutionDetail } from './queries.js';

/** The institution page; `hasHistory` when it has published changes (entitiesWithHistory), to link to them. */
export function InstitutionPage({
  ctx,
  i,
  punctuality,
  hasHistory,
  provenance = NO_PROVENANCE,
}: {
  ctx: PageContext;
  i: InstitutionDetail;
  punctuality: PunctualityRow[];
  hasHistory: boolean;
  provenance?: Provenance;
}): JSX.Element {
  const { t, locale } = ctx;
  const name = pickText(i.name, locale);
  const base = `/${locale}/${i.jurisdiction.slug}`;
  const commitmentList = (role: string) => {
    const list = i.commitments.filter((c) => c.role === role);
    return list.length ? (
      <ul>
        {list.map((c) => (
          <li>
            <LocalizedLink ctx={ctx} href={`${base}/plans/${c.planSlug}/commitments/${c.code}`} code={c.code} value={c.title} />{' '}
            <span class="muted">
              (<Localized ctx={ctx} value={c.planTitle} />)
            </span>
          </li>
        ))}
      </ul>
    ) : (
      <p>{escapeHtml(t('institution.none'))}</p>
    );
  };
  return (
    <Layout ctx={ctx} title={name} demo={i.milestones.some((m) => m.isDemo)}>
      <Breadcrumbs
        ctx={ctx}
        items={[
          { href: `/${locale}/`, label: t('ui.nav.home') },
          { href: base, label: pickText(i.jurisdiction.name, locale) },
          { label: name },
        ]}
      />
      <Localized ctx={ctx} value={i.name} as="h1" />
      <SourceNotes ctx={ctx} sources={provenance.get('institution', i.id, 'name')} shownLang={pick(i.name, locale)?.lang} />
      <dl class="facts">
        <dt>{escapeHtml(t('institution.kind'))}</dt>
        <dd>{escapeHtml(t(`domain.institutionKind.${i.kind}` as MessageKey))}</dd>
        {i.website ? (
          <>
            <dt>{escapeHtml(t('institution.website'))}</dt>
            <dd>
              <a href={i.website} rel="external" safe>
                {i.website}
              </a>
            </dd>
          </>
        ) : (
          ''
        )}
      </dl>
      {Object.keys(i.description).length ? <Localized ctx={ctx} value={i.description} as="div" class="prose" /> : ''}
      <h2>{escapeHtml(t('institution.leads'))}</h2>
      {commitmentList('lead')}
      <h2>{escapeHtml(t('institution.supports'))}</h2>
      {commitmentList('supporting')}
      {i.commitments.some((c) => c.role === 'involved') ? (
        <>
          <h2>{escapeHtml(t('provenance.institutionInvolved'))}</h2>
          {commitmentList('involved')}
        </>
      ) : (
        ''
      )}
      <h2>{escapeHtml(t('institution.milestones'))}</h2>
      {i.milestones.length ? (
        <ul>
          {i.milestones.map((m) => (
            <li>
              <LocalizedLink ctx={ctx} href={`${base}/plans/${m.planSlug}/commitments/${m.commitmentCode}#${m.code}`} code={m.code} value={m.title} />{' '}
              <time datetime={m.dueOn}>{escapeHtml(formatDate(locale, m.dueOn))}</time>{' '}
              <StatusTag status={m.status} label={t(`domain.milestoneStatus.${m.status}` as MessageKey)} />
              {m.isDemo ? (
                <>
                  {' '}
                  <DemoTag ctx={ctx} />
                </>
              ) : (
                ''
              )}
            </li>
          ))}
        </ul>
      ) : (
        <p>{escapeHtml(t('institution.none'))}</p>
      )}
      <ReportPunctuality ctx={ctx} rows={punctuality} />
      {hasHistory ? (
        <p class="history-link">
          <a href={`/${locale}/history/institution/${i.id}`}>{escapeHtml(t('institution.history'))}</a>
        </p>
      ) : (
        ''
      )}
    </Layout>
  );
}
