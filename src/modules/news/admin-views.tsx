import { formatDate, formatDateTime, type MessageKey } from '../../i18n/index.js';
import type { Locale } from '../../i18n/locales.js';
import type { FormErrors, FormValues } from '../../lib/forms.js';
import { pickText, type Translatable } from '../../lib/translatable.js';
import { ContentLanguages, ContentLocaleField, inFormOrder, languageName, localesWithText, TranslationReference } from '../../ui/admin.js';
import { Breadcrumbs, DemoTag, Localized, StatusTag } from '../../ui/components.js';
import type { PageContext } from '../../ui/context.js';
import { CsrfField, ErrorSummary, Select, TextArea, TextField } from '../../ui/forms.js';
import { Layout } from '../../ui/layout.js';
import { NEWS_KINDS } from './domain.js';
import { NewsBody } from './public-views.js';
import type { NewsItemView, NewsJurisdiction } from './queries.js';

/** The administration's pages of news, under /{locale}/admin/jurisdictions/{j}/news. */

export function newsAdminPath(ctx: PageContext, jurisdictionSlug: string): string {
  return `/${ctx.locale}/admin/jurisdictions/${encodeURIComponent(jurisdictionSlug)}/news`;
}

function crumbs(ctx: PageContext, jurisdiction: NewsJurisdiction, tail: { href?: string; label: string }[]) {
  const { t } = ctx;
  const name = pickText(jurisdiction.name, ctx.locale) || jurisdiction.slug;
  return [
    { href: `/${ctx.locale}/admin`, label: t('ui.nav.admin') },
    jurisdiction.adminLink ? { href: `/${ctx.locale}/admin/jurisdictions/${encodeURIComponent(jurisdiction.slug)}`, label: name } : { label: name },
    ...tail,
  ];
}

export function itemTitle(ctx: PageContext, item: { title: Translatable }): string {
  return pickText(item.title, ctx.locale) || ctx.t('news.untitled');
}

/** A jurisdiction's news in the administration: drafts first, then what is published or withdrawn. */
export function NewsAdminPage({ ctx, jurisdiction, items }: { ctx: PageContext; jurisdiction: NewsJurisdiction; items: NewsItemView[] }): JSX.Element {
  const { t, locale } = ctx;
  const base = newsAdminPath(ctx, jurisdiction.slug);
  const title = t('news.admin.title');
  return (
    <Layout ctx={ctx} title={title} admin>
      <Breadcrumbs ctx={ctx} items={crumbs(ctx, jurisdiction, [{ label: title }])} />
      <h1 safe>{title}</h1>
      <p>
        <a class="button" href={`${base}/new`} safe>
          {t('news.admin.new')}
        </a>{' '}
        <a class="button" href={`${base}/draft`} safe>
          {t('news.admin.draft')}
        </a>{' '}
        <a href={`/${locale}/${encodeURIComponent(jurisdiction.slug)}/news`} safe>
          {t('news.admin.publicPage')}
        </a>
      </p>
      {items.length === 0 ? (
        <p safe>{t('news.admin.none')}</p>
      ) : (
        <table class="stacked">
          <caption safe>{title}</caption>
          <thead>
            <tr>
              <th scope="col" safe>{t('news.field.title')}</th>
              <th scope="col" safe>{t('news.field.kind')}</th>
              <th scope="col" safe>{t('news.field.status')}</th>
              <th scope="col" safe>{t('news.field.date')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((i) => (
              <tr>
                <td data-label={t('news.field.title')}>
                  <a href={`${base}/${i.id}`} safe>
                    {itemTitle(ctx, i)}
                  </a>
                  {i.isDemo ? (
                    <>
                      {' '}
                      <DemoTag ctx={ctx} />
                    </>
                  ) : (
                    ''
                  )}
                </td>
                <td data-label={t('news.field.kind')} safe>
                  {t(`news.kind.${i.kind}` as MessageKey)}
                </td>
                <td data-label={t('news.field.status')}>
                  <StatusTag status={i.status} label={t(`news.status.${i.status}` as MessageKey)} />
                </td>
                <td data-label={t('news.field.date')} safe>
                  {formatDate(locale, i.withdrawnAt ?? i.publishedAt ?? i.updatedAt, 'long', jurisdiction.timeZone)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}

export function newsLabels(ctx: PageContext): Record<string, string> {
  const { t } = ctx;
  return {
    kind: t('news.field.kind'),
    title: t('news.field.title'),
    summary: t('news.field.summary'),
    body: t('news.field.body'),
    period_from: t('news.field.periodFrom'),
    period_to: t('news.field.periodTo'),
  };
}

/** New item, or an item's page in the administration: its form (one language at a time), its state and actions. */
export function NewsFormPage(props: { ctx: PageContext; jurisdiction: NewsJurisdiction; item?: NewsItemView | undefined; contentLocale: Locale; values: FormValues; errors?: FormErrors | undefined }): JSX.Element {
  const { ctx, jurisdiction, item, contentLocale, values } = props;
  const { t, locale } = ctx;
  const labels = newsLabels(ctx);
  const errors = inFormOrder(props.errors, labels);
  const base = newsAdminPath(ctx, jurisdiction.slug);
  const title = item ? itemTitle(ctx, item) : t('news.admin.new');
  const action = item ? `${base}/${item.id}` : `${base}/new`;
  const withdrawn = item?.status === 'withdrawn';
  return (
    <Layout ctx={ctx} title={title} admin>
      <Breadcrumbs ctx={ctx} items={crumbs(ctx, jurisdiction, [{ href: base, label: t('news.admin.title') }, { label: title }])} />
      <h1 safe>{title}</h1>
      {item ? (
        <>
          <p>
            <StatusTag status={item.status} label={t(`news.status.${item.status}` as MessageKey)} />
            {item.isDemo ? (
              <>
                {' '}
                <DemoTag ctx={ctx} />
              </>
            ) : (
              ''
            )}{' '}
            <span safe>
              {item.status === 'published' && item.publishedAt
                ? t('news.admin.publishedOn', { date: formatDateTime(locale, item.publishedAt, jurisdiction.timeZone) })
                : item.status === 'withdrawn' && item.withdrawnAt
                  ? t('news.admin.withdrawnOn', { date: formatDateTime(locale, item.withdrawnAt, jurisdiction.timeZone) })
                  : t('news.admin.draftNote')}
            </span>
          </p>
          {item.generated ? (
            <p class="notice" safe>
              {t('news.admin.generatedNote')}
            </p>
          ) : (
            ''
          )}
          {item.status === 'published' ? (
            <p class="notice" safe>
              {t('news.admin.correctionNote')}
            </p>
          ) : (
            ''
          )}
          <ul class="actions">
            {item.status === 'draft' ? (
              <li>
                <a href={`${base}/${item.id}/publish`} safe>
                  {t('news.admin.publish')}
                </a>
              </li>
            ) : (
              ''
            )}
            {item.status === 'published' ? (
              <>
                <li>
                  <a href={`/${locale}/${encodeURIComponent(jurisdiction.slug)}/news/${item.id}`} safe>
                    {t('news.admin.view')}
                  </a>
                </li>
                <li>
                  <a href={`${base}/${item.id}/withdraw`} safe>
                    {t('news.admin.withdraw')}
                  </a>
                </li>
              </>
            ) : (
              ''
            )}
          </ul>
        </>
      ) : (
        ''
      )}
      {withdrawn ? (
        <p safe>{t('news.admin.withdrawnNoEdit')}</p>
      ) : (
        <>
          <ErrorSummary ctx={ctx} errors={errors} labels={labels} />
          <ContentLanguages ctx={ctx} current={contentLocale} path={action} withText={item ? localesWithText(item.title, item.body) : undefined} />
          <form method="post" action={action} novalidate>
            <CsrfField ctx={ctx} />
            <ContentLocaleField locale={contentLocale} />
            <Select ctx={ctx} name="kind" label={labels.kind!} values={values} errors={errors} options={NEWS_KINDS.map((k) => ({ value: k, label: t(`news.kind.${k}` as MessageKey) }))} />
            <fieldset class="translatable">
              <legend safe>{t('news.admin.textLegend', { language: languageName(ctx, contentLocale) })}</legend>
              <TextField ctx={ctx} name="title" label={labels.title!} values={values} errors={errors} lang={contentLocale} />
              <TranslationReference ctx={ctx} label={labels.title!} value={item?.title} locale={contentLocale} />
              <TextArea ctx={ctx} name="summary" label={labels.summary!} hint={t('news.field.summaryHint')} values={values} errors={errors} lang={contentLocale} optional rows={3} />
              <TextArea ctx={ctx} name="body" label={labels.body!} hint={t('news.field.bodyHint')} values={values} errors={errors} lang={contentLocale} rows={16} />
              <TranslationReference ctx={ctx} label={labels.body!} value={item?.body} locale={contentLocale} />
            </fieldset>
            <fieldset>
              <legend safe>{t('news.field.periodLegend')}</legend>
              <TextField ctx={ctx} name="period_from" type="date" label={labels.period_from!} values={values} errors={errors} optional />
              <TextField ctx={ctx} name="period_to" type="date" label={labels.period_to!} values={values} errors={errors} optional />
            </fieldset>
            <div class="form-actions">
              <button type="submit" safe>
                {item?.status === 'published' ? t('news.admin.saveCorrection') : t('news.admin.saveDraft')}
              </button>{' '}
              <a href={base} safe>
                {t('form.cancel')}
              </a>
            </div>
          </form>
        </>
      )}
    </Layout>
  );
}

export type CycleChoice = { id: number; number: number; label: Translatable; from: string; to: string; plan: string; planTitle: Translatable };

export function draftLabels(ctx: PageContext): Record<string, string> {
  const { t } = ctx;
  return { kind: t('news.field.kind'), cycle: t('news.draft.field.cycle'), from: t('news.draft.field.from'), to: t('news.draft.field.to') };
}

/** "Draft from a period": a reporting cycle, or two days. */
export function NewsDraftPage(props: { ctx: PageContext; jurisdiction: NewsJurisdiction; cycles: CycleChoice[]; values: FormValues; errors?: FormErrors | undefined }): JSX.Element {
  const { ctx, jurisdiction, cycles, values } = props;
  const { t, locale } = ctx;
  const labels = draftLabels(ctx);
  const errors = inFormOrder(props.errors, labels);
  const base = newsAdminPath(ctx, jurisdiction.slug);
  const title = t('news.admin.draft');
  const cycleName = (c: CycleChoice) =>
    `${pickText(c.planTitle, locale) || c.plan} · ${pickText(c.label, locale) || t('news.draft.cycle', { number: c.number })} (${formatDate(locale, c.from)} – ${formatDate(locale, c.to)})`;
  return (
    <Layout ctx={ctx} title={title} admin>
      <Breadcrumbs ctx={ctx} items={crumbs(ctx, jurisdiction, [{ href: base, label: t('news.admin.title') }, { label: title }])} />
      <h1 safe>{title}</h1>
      <p safe>{t('news.draft.help')}</p>
      <ErrorSummary ctx={ctx} errors={errors} labels={labels} />
      <form method="post" action={`${base}/draft`} novalidate>
        <CsrfField ctx={ctx} />
        <Select ctx={ctx} name="kind" label={labels.kind!} values={values} errors={errors} options={NEWS_KINDS.map((k) => ({ value: k, label: t(`news.kind.${k}` as MessageKey) }))} />
        <Select ctx={ctx} name="cycle" label={labels.cycle!} hint={t('news.draft.field.cycleHint')} values={values} errors={errors} optional options={cycles.map((c) => ({ value: String(c.id), label: cycleName(c) }))} />
        <fieldset>
          <legend safe>{t('news.draft.field.range')}</legend>
          <TextField ctx={ctx} name="from" type="date" label={labels.from!} values={values} errors={errors} optional />
          <TextField ctx={ctx} name="to" type="date" label={labels.to!} values={values} errors={errors} optional />
        </fieldset>
        <div class="form-actions">
          <button type="submit" safe>
            {t('news.draft.generate')}
          </button>{' '}
          <a href={base} safe>
            {t('form.cancel')}
          </a>
        </div>
      </form>
    </Layout>
  );
}

/** The confirmation before publishing or withdrawing: the item as it will read, and one button. */
export function NewsConfirmPage(props: { ctx: PageContext; jurisdiction: NewsJurisdiction; item: NewsItemView; action: 'publish' | 'withdraw' }): JSX.Element {
  const { ctx, jurisdiction, item, action } = props;
  const { t } = ctx;
  const base = newsAdminPath(ctx, jurisdiction.slug);
  const name = itemTitle(ctx, item);
  const title = action === 'publish' ? t('news.confirm.publishTitle', { title: name }) : t('news.confirm.withdrawTitle', { title: name });
  return (
    <Layout ctx={ctx} title={title} admin>
      <Breadcrumbs ctx={ctx} items={crumbs(ctx, jurisdiction, [{ href: base, label: t('news.admin.title') }, { href: `${base}/${item.id}`, label: name }, { label: t(action === 'publish' ? 'news.admin.publish' : 'news.admin.withdraw') }])} />
      <h1 safe>{title}</h1>
      <p safe>{action === 'publish' ? t('news.confirm.publishText') : t('news.confirm.withdrawText')}</p>
      {action === 'publish' && item.generated ? (
        <p class="notice" safe>
          {t('news.confirm.generatedWarning')}
        </p>
      ) : (
        ''
      )}
      <section class="preview" aria-labelledby="preview-title">
        <h2 id="preview-title" safe>{t('news.confirm.preview')}</h2>
        <Localized ctx={ctx} value={item.title} as="p" class="lead" />
        <Localized ctx={ctx} value={item.summary} as="p" />
        <NewsBody ctx={ctx} body={item.body} />
      </section>
      <form method="post" action={`${base}/${item.id}/${action}`}>
        <CsrfField ctx={ctx} />
        <div class="form-actions">
          <button type="submit" class={action === 'withdraw' ? 'warning' : undefined} safe>
            {action === 'publish' ? t('news.admin.publish') : t('news.admin.withdraw')}
          </button>{' '}
          <a href={`${base}/${item.id}`} safe>
            {t('form.cancel')}
          </a>
        </div>
      </form>
    </Layout>
  );
}
