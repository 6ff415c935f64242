import { formatDate, formatDateTime, type MessageKey } from '../../i18n/index.js';
import type { Locale } from '../../i18n/locales.js';
import type { FormErrors, FormValues } from '../../lib/forms.js';
import { pickText, type Translatable } from '../../lib/translatable.js';
import { ContentLanguages, ContentLocaleField, inFormOrder, languageName, localesWithText, TranslationReference } from '../../ui/admin.js';
import { Breadcrumbs, DemoTag, Paragraphs, type Crumb } from '../../ui/components.js';
import type { PageContext } from '../../ui/context.js';
import { CsrfField, ErrorSummary, Select, TextArea } from '../../ui/forms.js';
import { Layout } from '../../ui/layout.js';
import { consultationPath, consultationStatus, type ConsultationView } from './consultation-queries.js';
import { moderationPath, responsesAdminPath } from './moderation-views.js';
import { OUTCOMES, type PublishBlock, type ResponseRow, type ShapeChoice } from './response-queries.js';
import { shareText } from './response-section.js';

/**
 * The coordinator's pages of a consultation's reasoned responses, under
 * /{locale}/admin/jurisdictions/{j}/consultations/{slug}/responses: every contribution with its
 * outcome and a link to its response form, the share answered, and publishing the response table
 * behind a confirmation.
 */

export interface ResponsesScope {
  jurisdiction: { id: number; slug: string; name: Translatable };
  consultation: ConsultationView;
  canOpenJurisdiction: boolean;
  canModerate: boolean;
}

function crumbs(ctx: PageContext, scope: ResponsesScope): Crumb[] {
  const { locale } = ctx;
  const name = pickText(scope.jurisdiction.name, locale) || scope.jurisdiction.slug;
  return [
    { href: `/${locale}/admin`, label: ctx.t('ui.nav.admin') },
    scope.canOpenJurisdiction ? { href: `/${locale}/admin/jurisdictions/${encodeURIComponent(scope.jurisdiction.slug)}`, label: name } : { label: name },
    { href: responsesAdminPath(locale, scope.jurisdiction.slug, scope.consultation.slug), label: ctx.t('responses.admin.crumb', { title: pickText(scope.consultation.title, locale) || scope.consultation.slug }) },
  ];
}

function kindLabel(ctx: PageContext, row: ResponseRow): string {
  if (row.depth > 0) return ctx.t('moderation.kind.reply');
  return ctx.t(`responses.kind.${row.kind === 'proposal' ? 'proposal' : 'comment'}` as MessageKey);
}

/** The first words of a contribution, for the list. */
function excerpt(text: string, max = 160): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export function responseFormPath(locale: string, jurisdiction: string, slug: string, contributionId: number): string {
  return `${responsesAdminPath(locale, jurisdiction, slug)}/${contributionId}`;
}

/** Why the table cannot be published yet, in words. */
export function publishBlockText(ctx: PageContext, block: PublishBlock): string {
  const { t, locale } = ctx;
  switch (block.reason) {
    case 'draft':
      return t('responses.publish.draft');
    case 'notClosed':
      return t('responses.publish.notClosed', { status: block.status === 'announced' ? 'announced' : 'open', opens: formatDate(locale, block.opensOn), closes: formatDate(locale, block.closesOn) });
    case 'pending':
      return t('responses.publish.pending', { count: block.pending });
    case 'incomplete':
      return t('responses.publish.refused', { missing: block.total - block.answered, total: block.total });
  }
}

/** The link to the moderation queue, for a moderator, when contributions wait for one. */
function ModerationLink(props: { ctx: PageContext; scope: ResponsesScope; block: PublishBlock }): JSX.Element {
  if (props.block.reason !== 'pending' || !props.scope.canModerate) return '';
  return (
    <p>
      <a href={moderationPath(props.ctx.locale)} safe>
        {props.ctx.t('moderation.title')}
      </a>
    </p>
  );
}

export function ResponsesAdminPage(props: { ctx: PageContext; scope: ResponsesScope; rows: ResponseRow[]; today: string; block?: PublishBlock | undefined }): JSX.Element {
  const { ctx, scope, rows } = props;
  const { t, locale } = ctx;
  const c = scope.consultation;
  const title = t('responses.admin.title', { title: pickText(c.title, locale) || c.slug });
  const answered = rows.filter((r) => r.response).length;
  const status = consultationStatus(c, props.today);
  const base = responsesAdminPath(locale, scope.jurisdiction.slug, c.slug);
  const [first, second] = crumbs(ctx, scope);
  return (
    <Layout ctx={ctx} title={title} admin>
      <Breadcrumbs ctx={ctx} items={[first!, second!, { label: title }]} />
      <h1 safe>{title}</h1>
      {c.isDemo ? (
        <p>
          <DemoTag ctx={ctx} />
        </p>
      ) : (
        ''
      )}
      <p safe>{t('responses.admin.intro')}</p>
      <p>
        <span safe>{`${t(`responses.status.${status}` as MessageKey)} · ${shareText(ctx, answered, rows.length)}`}</span>
        {c.respondedAt ? <span safe>{` · ${t('responses.admin.publishedOn', { date: formatDateTime(locale, c.respondedAt, c.timeZone, 'medium') })}`}</span> : ''}
      </p>
      <p>
        <a href={`${consultationPath(locale, scope.jurisdiction.slug, c.slug)}#responses`} safe>
          {t('responses.admin.publicPage')}
        </a>
        {scope.canModerate ? (
          <>
            {' · '}
            <a href={moderationPath(locale)} safe>
              {t('moderation.title')}
            </a>
          </>
        ) : (
          ''
        )}
      </p>
      {rows.length === 0 ? (
        <p safe>{t('responses.admin.none')}</p>
      ) : (
        <table class="stacked">
          <caption safe>{t('responses.admin.caption', { count: rows.length })}</caption>
          <thead>
            <tr>
              <th scope="col" safe>{t('responses.col.said')}</th>
              <th scope="col" safe>{t('responses.col.outcome')}</th>
              <th scope="col" safe>{t('responses.admin.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr id={`contribution-${row.contributionId}`}>
                <td data-label={t('responses.col.said')}>
                  <span class="meta" safe>{`${t('moderation.item.number', { id: row.contributionId })} · ${kindLabel(ctx, row)} · ${row.authorName ?? t('responses.table.anonymised')}${row.status === 'hidden' ? ` · ${t('responses.admin.hidden')}` : ''}`}</span>
                  {row.isDemo ? (
                    <>
                      {' '}
                      <DemoTag ctx={ctx} />
                    </>
                  ) : (
                    ''
                  )}
                  <br />
                  <span lang={row.locale} safe>
                    {excerpt(row.body)}
                  </span>
                </td>
                <td data-label={t('responses.col.outcome')} safe>
                  {row.response ? t(`responses.outcome.${row.response.outcome}` as MessageKey) : t('responses.table.notAnswered')}
                </td>
                <td data-label={t('responses.admin.actions')}>
                  <a href={responseFormPath(locale, scope.jurisdiction.slug, c.slug, row.contributionId)}>
                    <span safe>{row.response ? t('responses.admin.edit') : t('responses.admin.respond')}</span>
                    <span class="visually-hidden" safe>{` ${t('moderation.item.number', { id: row.contributionId })}`}</span>
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {c.respondedAt ? (
        ''
      ) : props.block ? (
        <div class="notice notice-warning" id="publish-blocked">
          <h2 safe>{t('responses.publish.refusedTitle')}</h2>
          <p safe>{publishBlockText(ctx, props.block)}</p>
          <ModerationLink ctx={ctx} scope={scope} block={props.block} />
        </div>
      ) : (
        <form method="post" action={`${base}/publish`}>
          <CsrfField ctx={ctx} />
          <button type="submit" safe>
            {t('responses.admin.publish')}
          </button>
        </form>
      )}
    </Layout>
  );
}

export function responseLabels(ctx: PageContext): Record<string, string> {
  return { outcome: ctx.t('responses.col.outcome'), reasons: ctx.t('responses.col.reasons'), shaped: ctx.t('responses.field.shaped') };
}

export function ResponseFormPage(props: {
  ctx: PageContext;
  scope: ResponsesScope;
  row: ResponseRow;
  choices: ShapeChoice[];
  values: FormValues;
  contentLocale: Locale;
  errors?: FormErrors | undefined;
}): JSX.Element {
  const { ctx, scope, row, contentLocale } = props;
  const { t, locale } = ctx;
  const c = scope.consultation;
  const labels = responseLabels(ctx);
  const errors = inFormOrder(props.errors, labels);
  const title = t('responses.form.title', { id: row.contributionId });
  const action = responseFormPath(locale, scope.jurisdiction.slug, c.slug, row.contributionId);
  const formAction = contentLocale === locale ? action : `${action}?content=${encodeURIComponent(contentLocale)}`;
  return (
    <Layout ctx={ctx} title={title} admin>
      <Breadcrumbs ctx={ctx} items={[...crumbs(ctx, scope), { label: title }]} />
      <h1 safe>{title}</h1>
      <ErrorSummary ctx={ctx} errors={errors} labels={labels} />
      <section aria-labelledby="said-title" class="contribution">
        <h2 id="said-title" safe>
          {t('responses.col.said')}
        </h2>
        <p class="meta">
          <span safe>{`${kindLabel(ctx, row)}${row.theme ? ` · ${row.theme}` : ''} · ${row.authorName ?? t('responses.table.anonymised')}`}</span>
          {row.isDemo ? (
            <>
              {' '}
              <DemoTag ctx={ctx} />
            </>
          ) : (
            ''
          )}
        </p>
        {row.status === 'hidden' ? <p safe>{t('responses.admin.hiddenNote', { reason: row.hiddenReason ?? '' })}</p> : ''}
        <blockquote class="contribution-text" lang={row.locale}>
          <Paragraphs text={row.body} />
        </blockquote>
      </section>
      <h2 id="response-form-title" safe>
        {t('responses.form.heading')}
      </h2>
      <ContentLanguages ctx={ctx} current={contentLocale} path={action} withText={row.response ? localesWithText(row.response.reasons) : undefined} />
      <form method="post" action={formAction} novalidate aria-labelledby="response-form-title">
        <CsrfField ctx={ctx} />
        <ContentLocaleField locale={contentLocale} name="content" />
        <Select
          ctx={ctx}
          name="outcome"
          label={labels.outcome!}
          values={props.values}
          errors={errors}
          placeholder={row.response ? undefined : t('responses.field.outcomeChoose')}
          options={OUTCOMES.map((o) => ({ value: o, label: t(`responses.outcome.${o}` as MessageKey) }))}
        />
        <fieldset class="translatable">
          <legend safe>{t('responses.form.texts', { language: languageName(ctx, contentLocale) })}</legend>
          <TextArea ctx={ctx} name="reasons" label={labels.reasons!} hint={t('responses.field.reasonsHint')} values={props.values} errors={errors} lang={contentLocale} rows={6} />
          <TranslationReference ctx={ctx} label={labels.reasons!} value={row.response?.reasons} locale={contentLocale} />
        </fieldset>
        <Select
          ctx={ctx}
          name="shaped"
          label={labels.shaped!}
          hint={t('responses.field.shapedHint')}
          values={props.values}
          errors={errors}
          optional
          options={props.choices.map((s) => ({ value: s.value, label: `${s.value.startsWith('m:') ? '— ' : ''}${s.code} ${pickText(s.title, locale)}`.trim() }))}
        />
        <div class="form-actions">
          <button type="submit" safe>
            {t('form.save')}
          </button>{' '}
          <a href={responsesAdminPath(locale, scope.jurisdiction.slug, c.slug)} safe>
            {t('form.cancel')}
          </a>
        </div>
      </form>
    </Layout>
  );
}

/**
 * The confirmation before the table is published, or the refusal while the consultation is not
 * closed, contributions wait for a moderator or have no outcome (`block`).
 */
export function PublishResponsesPage(props: { ctx: PageContext; scope: ResponsesScope; answered: number; total: number; withAddress: number; block?: PublishBlock | undefined }): JSX.Element {
  const { ctx, scope, answered, total } = props;
  const { t, locale } = ctx;
  const c = scope.consultation;
  const base = responsesAdminPath(locale, scope.jurisdiction.slug, c.slug);
  const block: PublishBlock | undefined = props.block ?? (!c.publishedAt ? { reason: 'draft' } : answered < total ? { reason: 'incomplete', answered, total } : undefined);
  const title = t('responses.publish.title', { title: pickText(c.title, locale) || c.slug });
  return (
    <Layout ctx={ctx} title={title} admin>
      <Breadcrumbs ctx={ctx} items={[...crumbs(ctx, scope), { label: title }]} />
      <h1 safe>{title}</h1>
      {!block ? (
        <>
          <p safe>{t('responses.publish.confirm', { total })}</p>
          <ul>
            <li safe>{t('responses.publish.log')}</li>
            <li safe>{t('responses.publish.mail', { count: props.withAddress })}</li>
            <li safe>{t('responses.publish.subscribers')}</li>
          </ul>
          <form method="post" action={`${base}/publish`}>
            <CsrfField ctx={ctx} />
            <input type="hidden" name="confirm" value="yes" />
            <button type="submit" safe>
              {t('responses.publish.button')}
            </button>{' '}
            <a href={base} safe>
              {t('form.cancel')}
            </a>
          </form>
        </>
      ) : (
        <div class="error-summary" role="alert" aria-labelledby="refusal-title" tabindex="-1" data-error-summary>
          <h2 id="refusal-title" safe>
            {t('responses.publish.refusedTitle')}
          </h2>
          <p safe>{publishBlockText(ctx, block)}</p>
          <ModerationLink ctx={ctx} scope={scope} block={block} />
          <p>
            <a href={base} safe>
              {t('responses.publish.back')}
            </a>
          </p>
        </div>
      )}
    </Layout>
  );
}


