import type { MessageKey } from '../../i18n/index.js';
import { formatDate } from '../../i18n/index.js';
import { pickText, type Translatable } from '../../lib/translatable.js';
import type { PageContext } from '../../ui/context.js';
import { Breadcrumbs } from '../../ui/components.js';
import { Layout } from '../../ui/layout.js';
import { ENTITIES, type Column } from './entities.js';
import { SCHEMA_PATH } from './export-json.js';
import type { SnapshotRef } from './snapshots.js';

export interface DownloadRow {
  /** `all` or a jurisdiction's slug. */
  slug: string;
  name: Translatable | undefined;
}

const jsonHref = (slug: string) => `/open-data/${slug}.json`;
const csvHref = (slug: string) => `/open-data/${slug}.csv.zip`;

function typeWords(ctx: PageContext, column: Column): string {
  const type = ctx.t(`opendata.type.${column.kind}` as MessageKey);
  return column.nullable ? ctx.t('opendata.type.nullable', { type }) : type;
}

function DownloadsTable({ ctx, rows, snapshotsColumn }: { ctx: PageContext; rows: DownloadRow[]; snapshotsColumn: boolean }): JSX.Element {
  const { t } = ctx;
  return (
    <div class="table-scroll">
      <table class="stacked">
        <thead>
          <tr>
            <th scope="col" safe>{t('opendata.col.scope')}</th>
            <th scope="col" safe>{t('opendata.col.json')}</th>
            <th scope="col" safe>{t('opendata.col.csv')}</th>
            {snapshotsColumn ? <th scope="col" safe>{t('opendata.col.snapshots')}</th> : ''}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const name = row.name ? pickText(row.name, ctx.locale) || row.slug : t('opendata.all');
            return (
              <tr>
                <th scope="row" safe>{name}</th>
                <td data-label={t('opendata.col.json')}>
                  <a href={jsonHref(row.slug)} safe>{t('opendata.link.json', { name })}</a>
                </td>
                <td data-label={t('opendata.col.csv')}>
                  <a href={csvHref(row.slug)} safe>{t('opendata.link.csv', { name })}</a>
                </td>
                {snapshotsColumn ? (
                  <td data-label={t('opendata.col.snapshots')}>{row.name ? <a href={`/${ctx.locale}/${row.slug}/open-data#snapshots`} safe>{t('opendata.link.snapshots', { name })}</a> : ''}</td>
                ) : (
                  ''
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function FormatSection({ ctx }: { ctx: PageContext }): JSX.Element {
  const { t } = ctx;
  return (
    <section aria-labelledby="format">
      <h2 id="format" safe>{t('opendata.format.title')}</h2>
      <p safe>{t('opendata.format.intro')}</p>
      <p>
        <a href={SCHEMA_PATH} safe>{t('opendata.format.schema')}</a>
      </p>
      <p safe>{t('opendata.format.values')}</p>
      <p safe>{t('opendata.format.excluded')}</p>
      {ENTITIES.map((spec) => (
        <>
          <h3 id={`entity-${spec.name}`}>
            <code safe>{spec.name}</code>
          </h3>
          <p safe>{t(`opendata.entity.${spec.name}` as MessageKey)}</p>
          <div class="table-scroll">
            <table class="stacked">
              <thead>
                <tr>
                  <th scope="col" safe>{t('opendata.format.field')}</th>
                  <th scope="col" safe>{t('opendata.format.type')}</th>
                </tr>
              </thead>
              <tbody>
                {spec.columns.map((column) => (
                  <tr>
                    <th scope="row">
                      <code safe>{column.name}</code>
                    </th>
                    <td data-label={t('opendata.format.type')} safe>{typeWords(ctx, column)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ))}
      <h3 id="entity-log">
        <code>log</code>
      </h3>
      <h4 safe>{t('opendata.verify.title')}</h4>
      <p safe>{t('opendata.verify.body')}</p>
      <pre>
        <code>node verify-log.mjs log.json</code>
      </pre>
      <p>
        <a href="/transparency/verify-log.mjs" safe>{t('opendata.verify.script')}</a>
      </p>
    </section>
  );
}

/** `/{locale}/open-data`: the instance's and every jurisdiction's downloads, and the format explained. */
export function OpenDataPage({ ctx, jurisdictions }: { ctx: PageContext; jurisdictions: DownloadRow[] }): JSX.Element {
  const { t } = ctx;
  const title = t('opendata.title');
  return (
    <Layout ctx={ctx} title={title}>
      <Breadcrumbs ctx={ctx} items={[{ href: `/${ctx.locale}/`, label: t('ui.nav.home') }, { label: title }]} />
      <h1 safe>{title}</h1>
      <p class="lead" safe>{t('opendata.lead')}</p>
      <section aria-labelledby="downloads">
        <h2 id="downloads" safe>{t('opendata.downloads.title')}</h2>
        <p safe>{t('opendata.downloads.intro')}</p>
        <DownloadsTable ctx={ctx} rows={[{ slug: 'all', name: undefined }, ...jurisdictions]} snapshotsColumn />
      </section>
      <FormatSection ctx={ctx} />
    </Layout>
  );
}

function cycleName(ctx: PageContext, s: SnapshotRef): string {
  return pickText(s.label, ctx.locale) || ctx.t('opendata.snapshots.cycle', { number: s.cycle });
}

/** `/{locale}/{jurisdiction}/open-data`: the jurisdiction's downloads and its snapshots per reporting cycle. */
export function JurisdictionOpenDataPage({ ctx, jurisdiction, snapshots }: { ctx: PageContext; jurisdiction: DownloadRow & { name: Translatable }; snapshots: SnapshotRef[] }): JSX.Element {
  const { t } = ctx;
  const name = pickText(jurisdiction.name, ctx.locale) || jurisdiction.slug;
  const title = t('opendata.jurisdiction.title', { name });
  return (
    <Layout ctx={ctx} title={title} demo={snapshots.some((s) => s.isDemo)}>
      <Breadcrumbs
        ctx={ctx}
        items={[
          { href: `/${ctx.locale}/${jurisdiction.slug}`, label: name },
          { href: `/${ctx.locale}/open-data`, label: t('opendata.title') },
          { label: title },
        ]}
      />
      <h1 safe>{title}</h1>
      <p class="lead" safe>{t('opendata.lead')}</p>
      <section aria-labelledby="downloads">
        <h2 id="downloads" safe>{t('opendata.downloads.title')}</h2>
        <DownloadsTable ctx={ctx} rows={[jurisdiction]} snapshotsColumn={false} />
      </section>
      <section aria-labelledby="snapshots">
        <h2 id="snapshots" safe>{t('opendata.snapshots.title')}</h2>
        <p safe>{t('opendata.snapshots.intro')}</p>
        {snapshots.length === 0 ? (
          <p safe>{t('opendata.snapshots.none')}</p>
        ) : (
          <div class="table-scroll">
            <table class="stacked">
              <thead>
                <tr>
                  <th scope="col" safe>{t('opendata.snapshots.col.plan')}</th>
                  <th scope="col" safe>{t('opendata.snapshots.col.cycle')}</th>
                  <th scope="col" safe>{t('opendata.snapshots.col.end')}</th>
                  <th scope="col" safe>{t('opendata.snapshots.col.files')}</th>
                </tr>
              </thead>
              <tbody>
                {snapshots.map((s) => {
                  const plan = pickText(s.planTitle, ctx.locale) || s.plan;
                  const cycle = cycleName(ctx, s);
                  const base = `/open-data/${s.jurisdiction}/snapshots/${s.plan}/${s.cycle}`;
                  return (
                    <tr>
                      <td data-label={t('opendata.snapshots.col.plan')} safe>{s.isDemo ? t('opendata.demo.plan', { plan }) : plan}</td>
                      <th scope="row" safe>{cycle}</th>
                      <td data-label={t('opendata.snapshots.col.end')}>
                        <time datetime={s.periodEnd} safe>{formatDate(ctx.locale, s.periodEnd)}</time>
                      </td>
                      <td data-label={t('opendata.snapshots.col.files')}>
                        <a href={`${base}.json`} safe>{t('opendata.snapshots.json', { cycle, plan })}</a>
                        {' · '}
                        <a href={`${base}.csv`} safe>{t('opendata.snapshots.csv', { cycle, plan })}</a>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <p>
        <a href={`/${ctx.locale}/open-data#format`} safe>{t('opendata.format.title')}</a>
      </p>
    </Layout>
  );
}
