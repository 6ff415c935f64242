import { formatDateTime, type MessageKey } from '../../i18n/index.js';
import { LOCALES, type Locale } from '../../i18n/locales.js';
import { isIsoDate, type FormErrors, type FormValues } from '../../lib/forms.js';
import { pickText, type Translatable } from '../../lib/translatable.js';
import { ContentLanguages, ContentLocaleField, inFormOrder, languageName, TranslationReference } from '../../ui/admin.js';
import { Breadcrumbs, DemoTag, Localized, type Crumb } from '../../ui/components.js';
import type { PageContext } from '../../ui/context.js';
import { Checkboxes, CsrfField, ErrorSummary, Select, TextArea, TextField } from '../../ui/forms.js';
import { Layout } from '../../ui/layout.js';
import { MODERATIONS, SUBJECTS } from './consultation-commands.js';
import {
  consultationPath,
  consultationsPath,
  consultationStatus,
  noticeDays,
  type ConsultationDocument,
  type ConsultationView,
  type ContributionCounts,
  type SubjectChoice,
} from './consultation-queries.js';
import { ConsultationStatusTag, datesText } from './consultation-views.js';
import { responsesAdminPath } from './moderation-views.js';

/** Admin pages of consultations, under /{locale}/admin/jurisdictions/{j}/consultations. */

export interface AdminScope {
  jurisdiction: { id: number; slug: string; name: Translatable; timeZone: string };
  canOpenJurisdiction: boolean;
}

export function adminConsultationsPath(locale: Locale, jurisdiction: string): string {
  return `/${locale}/admin/jurisdictions/${encodeURIComponent(jurisdiction)}/consultations`;
}

export function adminConsultationPath(locale: Locale, jurisdiction: string, slug: string): string {
  return `${adminConsultationsPath(locale, jurisdiction)}/${encodeURIComponent(slug)}`;
}

/** Adds `?content=` when the content language is not the page's own. */
export function withContent(path: string, ctx: PageContext, contentLocale: Locale): string {
  return contentLocale === ctx.locale ? path : `${path}?content=${encodeURIComponent(contentLocale)}`;
}

function crumbs(ctx: PageContext, scope: AdminScope): Crumb[] {
  const j = `/${ctx.locale}/admin/jurisdictions/${encodeURIComponent(scope.jurisdiction.slug)}`;
  const name = pickText(scope.jurisdiction.name, ctx.locale) || scope.jurisdiction.slug;
  return [
    { href: `/${ctx.locale}/admin`, label: ctx.t('ui.nav.admin') },
    scope.canOpenJurisdiction ? { href: j, label: name } : { label: name },
    { href: adminConsultationsPath(ctx.locale, scope.jurisdiction.slug), label: ctx.t('consultations.admin.title') },
  ];
}

function NoticeWarning({ ctx, days, minimum }: { ctx: PageContext; days: number; minimum: number }): JSX.Element {
  return (
    <div class="notice warning" role="note">
      <p>
        <strong safe>{ctx.t('consultations.admin.warning')}</strong> <span safe>{ctx.t('consultations.admin.shortNoticeForm', { days, min: minimum })}</span>
      </p>
    </div>
  );
}

export interface ConsultationsAdminProps {
  ctx: PageContext;
  scope: AdminScope;
  consultations: ConsultationView[];
  counts: Map<number, ContributionCounts>;
  minimumNotice: number;
  today: string;
  /** The minimum notice form's values and errors after a refusal. */
  settingsValues?: FormValues | undefined;
  settingsErrors?: FormErrors | undefined;
}

export function ConsultationsAdminPage(props: ConsultationsAdminProps): JSX.Element {
  const { ctx, scope, today } = props;
  const { t } = ctx;
  const title = t('consultations.admin.title');
  const base = adminConsultationsPath(ctx.locale, scope.jurisdiction.slug);
  const [first, second] = crumbs(ctx, scope);
  const settingsLabels = { min_notice_days: t('consultations.admin.minNotice') };
  return (
    <Layout ctx={ctx} title={title} admin>
      <Breadcrumbs ctx={ctx} items={[first!, second!, { label: title }]} />
      <h1 safe>{title}</h1>
      <ErrorSummary ctx={ctx} errors={props.settingsErrors} labels={settingsLabels} />
      <p safe>{t('consultations.admin.intro')}</p>
      <p>
        <a class="button" href={`${base}/new`} safe>
          {t('consultations.admin.new')}
        </a>{' '}
        <a href={consultationsPath(ctx.locale, scope.jurisdiction.slug)} safe>
          {t('consultations.admin.publicList')}
        </a>
      </p>
      {props.consultations.length === 0 ? (
        <p safe>{t('consultations.list.none')}</p>
      ) : (
        <table class="stacked">
          <caption safe>{t('consultations.admin.caption', { count: props.consultations.length })}</caption>
          <thead>
            <tr>
              <th scope="col" safe>{t('consultations.field.title')}</th>
              <th scope="col" safe>{t('consultations.admin.col.status')}</th>
              <th scope="col" safe>{t('consultations.page.dates')}</th>
              <th scope="col" safe>{t('consultations.page.notice')}</th>
              <th scope="col" safe>{t('consultations.admin.col.contributions')}</th>
              <th scope="col" safe>{t('consultations.admin.col.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {props.consultations.map((c) => {
              const days = noticeDays(c);
              const counts = props.counts.get(c.id) ?? { published: 0, pending: 0, hidden: 0 };
              return (
                <tr>
                  <th scope="row">
                    <Localized ctx={ctx} value={c.title} empty={c.slug} />
                    {c.isDemo ? (
                      <>
                        {' '}
                        <DemoTag ctx={ctx} />
                      </>
                    ) : (
                      ''
                    )}
                  </th>
                  <td data-label={t('consultations.admin.col.status')}>
                    <ConsultationStatusTag ctx={ctx} status={consultationStatus(c, today)} />
                  </td>
                  <td data-label={t('consultations.page.dates')} safe>
                    {datesText(ctx, c)}
                  </td>
                  <td data-label={t('consultations.page.notice')}>
                    <span safe>{t('consultations.notice', { count: days })}</span>
                    {days < props.minimumNotice ? (
                      <>
                        {' '}
                        <strong class="tag tag-delayed" safe>
                          {t('consultations.admin.shortNotice', { min: props.minimumNotice })}
                        </strong>
                      </>
                    ) : (
                      ''
                    )}
                  </td>
                  <td data-label={t('consultations.admin.col.contributions')} safe>
                    {t('consultations.admin.counts', { ...counts })}
                  </td>
                  <td data-label={t('consultations.admin.col.actions')}>
                    <a href={`${adminConsultationPath(ctx.locale, scope.jurisdiction.slug, c.slug)}/edit`}>
                      <span safe>{t('consultations.admin.edit')}</span>
                      <span class="visually-hidden" safe>{` ${pickText(c.title, ctx.locale) || c.slug}`}</span>
                    </a>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <section aria-labelledby="settings-title">
        <h2 id="settings-title" safe>
          {t('consultations.admin.minNotice')}
        </h2>
        <form method="post" action={`${base}/settings`} novalidate>
          <CsrfField ctx={ctx} />
          <TextField
            ctx={ctx}
            name="min_notice_days"
            type="number"
            label={settingsLabels.min_notice_days}
            hint={t('consultations.admin.minNoticeHint')}
            values={props.settingsValues ?? { min_notice_days: String(props.minimumNotice) }}
            errors={props.settingsErrors}
          />
          <div class="form-actions">
            <button type="submit" safe>
              {t('consultations.admin.minNoticeSave')}
            </button>
          </div>
        </form>
      </section>
    </Layout>
  );
}

export function consultationLabels(ctx: PageContext): Record<string, string> {
  const { t } = ctx;
  return {
    slug: t('consultations.field.slug'),
    title: t('consultations.field.title'),
    summary: t('consultations.field.summary'),
    body: t('consultations.field.body'),
    subject: t('consultations.field.subject'),
    plan_id: t('consultations.field.plan_id'),
    commitment_id: t('consultations.field.commitment_id'),
    opens_on: t('consultations.field.opens_on'),
    closes_on: t('consultations.field.closes_on'),
    moderation: t('consultations.field.moderation'),
    flag_threshold: t('consultations.field.flag_threshold'),
    allows_proposals: t('consultations.field.allows_proposals'),
    groups_consulted: t('consultations.field.groups_consulted'),
    public_meetings: t('consultations.field.public_meetings'),
  };
}

export interface ConsultationFormProps {
  ctx: PageContext;
  scope: AdminScope;
  consultation?: ConsultationView | undefined;
  action: string;
  values: FormValues;
  allowsProposals: boolean;
  contentLocale: Locale;
  filledLocales: Locale[];
  errors?: FormErrors | undefined;
  choices: { plans: SubjectChoice[]; commitments: SubjectChoice[] };
  minimumNotice: number;
  documents?: ConsultationDocument[] | undefined;
  documentValues?: FormValues | undefined;
  documentErrors?: FormErrors | undefined;
  today: string;
}

export function ConsultationFormPage(props: ConsultationFormProps): JSX.Element {
  const { ctx, scope, values, contentLocale, consultation: c } = props;
  const { t } = ctx;
  const labels = consultationLabels(ctx);
  const errors = inFormOrder(props.errors, labels);
  const title = c ? t('consultations.admin.editTitle', { title: pickText(c.title, ctx.locale) || c.slug }) : t('consultations.admin.newTitle');
  const lang = contentLocale;
  const opens = values.opens_on ?? '';
  const closes = values.closes_on ?? '';
  const days = isIsoDate(opens) && isIsoDate(closes) && closes >= opens ? noticeDays({ opensOn: opens, closesOn: closes }) : undefined;
  const base = c ? adminConsultationPath(ctx.locale, scope.jurisdiction.slug, c.slug) : '';
  return (
    <Layout ctx={ctx} title={title} admin>
      <Breadcrumbs ctx={ctx} items={[...crumbs(ctx, scope), { label: title }]} />
      <h1 safe>{title}</h1>
      <ErrorSummary ctx={ctx} errors={errors} labels={labels} />
      {props.documentErrors ? <ErrorSummary ctx={ctx} errors={props.documentErrors} labels={documentLabels(ctx)} /> : ''}
      {days !== undefined && days < props.minimumNotice ? <NoticeWarning ctx={ctx} days={days} minimum={props.minimumNotice} /> : ''}
      {c ? (
        <>
          <p>
            <ConsultationStatusTag ctx={ctx} status={consultationStatus(c, props.today)} />{' '}
            {c.publishedAt ? (
              <span safe>{t('consultations.admin.publishedOn', { date: formatDateTime(ctx.locale, c.publishedAt, scope.jurisdiction.timeZone) })}</span>
            ) : (
              <span safe>{t('consultations.admin.draftNote')}</span>
            )}
          </p>
          {c.publishedAt ? (
            <p>
              <a href={consultationPath(ctx.locale, scope.jurisdiction.slug, c.slug)} safe>
                {t('consultations.admin.publicPage')}
              </a>
            </p>
          ) : (
            <form method="post" action={`${base}/publish`}>
              <CsrfField ctx={ctx} />
              <button type="submit" safe>
                {t('consultations.admin.publish')}
              </button>
            </form>
          )}
          <p>
            <a href={`${base}/outcome`} safe>
              {t('consultations.admin.outcome')}
            </a>
            {c.publishedAt ? (
              <>
                {' '}
                <a href={responsesAdminPath(ctx.locale, scope.jurisdiction.slug, c.slug)} safe>
                  {t('moderation.item.responses')}
                </a>
              </>
            ) : (
              ''
            )}
          </p>
          <h2 id="consultation-form-title" safe>
            {t('consultations.admin.formTitle')}
          </h2>
        </>
      ) : (
        <p safe>{t('consultations.admin.newIntro')}</p>
      )}
      <ContentLanguages ctx={ctx} current={contentLocale} path={props.action} withText={c ? props.filledLocales : undefined} />
      <form method="post" action={withContent(props.action, ctx, contentLocale)} novalidate aria-labelledby={c ? 'consultation-form-title' : undefined}>
        <CsrfField ctx={ctx} />
        <ContentLocaleField locale={contentLocale} name="content" />
        <TextField ctx={ctx} name="slug" label={labels.slug!} hint={t('consultations.field.slugHint')} values={values} errors={errors} />
        <fieldset class="translatable">
          <legend safe>{t('consultations.admin.texts', { language: languageName(ctx, contentLocale) })}</legend>
          <TextField ctx={ctx} name="title" label={labels.title!} values={values} errors={errors} lang={lang} />
          <TranslationReference ctx={ctx} label={labels.title!} value={c?.title} locale={contentLocale} />
          <TextArea ctx={ctx} name="summary" label={labels.summary!} rows={3} values={values} errors={errors} lang={lang} optional />
          <TranslationReference ctx={ctx} label={labels.summary!} value={c?.summary} locale={contentLocale} />
          <TextArea ctx={ctx} name="body" label={labels.body!} rows={12} values={values} errors={errors} lang={lang} optional />
          <TranslationReference ctx={ctx} label={labels.body!} value={c?.body} locale={contentLocale} />
        </fieldset>
        <Select
          ctx={ctx}
          name="subject"
          label={labels.subject!}
          values={values}
          errors={errors}
          options={SUBJECTS.map((s) => ({ value: s, label: t(`consultations.subject.${s}` as MessageKey) }))}
        />
        <Select
          ctx={ctx}
          name="plan_id"
          label={labels.plan_id!}
          hint={t('consultations.field.planHint')}
          values={values}
          errors={errors}
          optional
          options={props.choices.plans.map((p) => ({ value: String(p.id), label: pickText(p.title, ctx.locale) || p.slug }))}
        />
        <Select
          ctx={ctx}
          name="commitment_id"
          label={labels.commitment_id!}
          hint={t('consultations.field.commitmentHint')}
          values={values}
          errors={errors}
          optional
          options={props.choices.commitments.map((m) => ({ value: String(m.id), label: `${m.code ?? ''} ${pickText(m.title, ctx.locale)}`.trim() }))}
        />
        <TextField ctx={ctx} name="opens_on" type="date" label={labels.opens_on!} hint={t('consultations.field.dateHint')} values={values} errors={errors} />
        <TextField
          ctx={ctx}
          name="closes_on"
          type="date"
          label={labels.closes_on!}
          hint={t('consultations.field.closesHint', { min: props.minimumNotice })}
          values={values}
          errors={errors}
        />
        <Select
          ctx={ctx}
          name="moderation"
          label={labels.moderation!}
          values={values}
          errors={errors}
          options={MODERATIONS.map((m) => ({ value: m, label: t(`consultations.moderation.${m}` as MessageKey) }))}
        />
        <TextField ctx={ctx} name="flag_threshold" type="number" label={labels.flag_threshold!} hint={t('consultations.field.flagThresholdHint')} values={values} errors={errors} />
        <Checkboxes
          ctx={ctx}
          name="allows_proposals"
          label={labels.allows_proposals!}
          values={values}
          errors={errors}
          selected={props.allowsProposals ? ['yes'] : []}
          options={[{ value: 'yes', label: t('consultations.field.allowsProposalsOption') }]}
        />
        <fieldset>
          <legend safe>{t('consultations.admin.facts')}</legend>
          <p class="hint" safe>
            {t('consultations.admin.factsHint')}
          </p>
          <TextField ctx={ctx} name="groups_consulted" type="number" label={labels.groups_consulted!} values={values} errors={errors} optional />
          <TextField ctx={ctx} name="public_meetings" type="number" label={labels.public_meetings!} values={values} errors={errors} optional />
        </fieldset>
        <div class="form-actions">
          <button type="submit" safe>
            {c ? t('form.save') : t('consultations.admin.create')}
          </button>{' '}
          <a href={adminConsultationsPath(ctx.locale, scope.jurisdiction.slug)} safe>
            {t('form.cancel')}
          </a>
        </div>
      </form>
      {c ? <DocumentsSection ctx={ctx} base={base} documents={props.documents ?? []} values={props.documentValues ?? {}} errors={props.documentErrors} /> : ''}
    </Layout>
  );
}

function documentLabels(ctx: PageContext): Record<string, string> {
  return {
    document_title: ctx.t('consultations.field.document_title'),
    document_url: ctx.t('consultations.field.document_url'),
    document_locale: ctx.t('consultations.field.document_locale'),
  };
}

function DocumentsSection(props: { ctx: PageContext; base: string; documents: ConsultationDocument[]; values: FormValues; errors?: FormErrors | undefined }): JSX.Element {
  const { ctx } = props;
  const { t } = ctx;
  const labels = documentLabels(ctx);
  return (
    <section aria-labelledby="documents-title">
      <h2 id="documents-title" safe>
        {t('consultations.page.documents')}
      </h2>
      {props.documents.length === 0 ? (
        <p safe>{t('consultations.page.noDocuments')}</p>
      ) : (
        <ul>
          {props.documents.map((d) => (
            <li>
              <Localized ctx={ctx} value={d.title} empty={d.url} /> <span class="muted" safe>{`(${d.url})`}</span>{' '}
              <form method="post" action={`${props.base}/documents/${d.id}/remove`} class="inline-form">
                <CsrfField ctx={ctx} />
                <button type="submit" class="button-secondary">
                  <span safe>{t('consultations.admin.removeDocument')}</span>
                  <span class="visually-hidden" safe>{` ${pickText(d.title, ctx.locale) || d.url}`}</span>
                </button>
              </form>
            </li>
          ))}
        </ul>
      )}
      <h3 id="document-form-title" safe>
        {t('consultations.admin.addDocument')}
      </h3>
      <form method="post" action={`${props.base}/documents`} novalidate aria-labelledby="document-form-title">
        <CsrfField ctx={ctx} />
        <ContentLocaleField locale={ctx.locale} name="content" />
        <TextField ctx={ctx} name="document_title" label={labels.document_title!} values={props.values} errors={props.errors} />
        <TextField ctx={ctx} name="document_url" type="url" label={labels.document_url!} hint={t('consultations.field.documentUrlHint')} values={props.values} errors={props.errors} />
        <Select
          ctx={ctx}
          name="document_locale"
          label={labels.document_locale!}
          values={props.values}
          errors={props.errors}
          optional
          options={LOCALES.map((l) => ({ value: l, label: languageName(ctx, l) }))}
        />
        <div class="form-actions">
          <button type="submit" safe>
            {t('consultations.admin.addDocumentButton')}
          </button>
        </div>
      </form>
    </section>
  );
}

export function PublishConsultationPage(props: { ctx: PageContext; scope: AdminScope; consultation: ConsultationView; minimumNotice: number }): JSX.Element {
  const { ctx, scope, consultation: c } = props;
  const { t } = ctx;
  const name = pickText(c.title, ctx.locale) || c.slug;
  const title = t('consultations.admin.publishTitle', { title: name });
  const base = adminConsultationPath(ctx.locale, scope.jurisdiction.slug, c.slug);
  const days = noticeDays(c);
  return (
    <Layout ctx={ctx} title={title} admin>
      <Breadcrumbs ctx={ctx} items={[...crumbs(ctx, scope), { href: `${base}/edit`, label: name }, { label: t('consultations.admin.publish') }]} />
      <h1 safe>{title}</h1>
      {days < props.minimumNotice ? <NoticeWarning ctx={ctx} days={days} minimum={props.minimumNotice} /> : ''}
      <p safe>{datesText(ctx, c)}</p>
      <p safe>{t('consultations.admin.publishText')}</p>
      <form method="post" action={`${base}/publish`}>
        <CsrfField ctx={ctx} />
        <input type="hidden" name="confirm" value="yes" />
        <div class="form-actions">
          <button type="submit" safe>
            {t('consultations.admin.publishConfirm')}
          </button>{' '}
          <a href={`${base}/edit`} safe>
            {t('form.cancel')}
          </a>
        </div>
      </form>
    </Layout>
  );
}

export function OutcomeFormPage(props: {
  ctx: PageContext;
  scope: AdminScope;
  consultation: ConsultationView;
  values: FormValues;
  contentLocale: Locale;
  errors?: FormErrors | undefined;
}): JSX.Element {
  const { ctx, scope, consultation: c, contentLocale } = props;
  const { t } = ctx;
  const name = pickText(c.title, ctx.locale) || c.slug;
  const title = t('consultations.admin.outcomeTitle', { title: name });
  const base = adminConsultationPath(ctx.locale, scope.jurisdiction.slug, c.slug);
  const labels = { outcome: t('consultations.page.outcome') };
  const action = `${base}/outcome`;
  return (
    <Layout ctx={ctx} title={title} admin>
      <Breadcrumbs ctx={ctx} items={[...crumbs(ctx, scope), { href: `${base}/edit`, label: name }, { label: t('consultations.admin.outcome') }]} />
      <h1 safe>{title}</h1>
      <ErrorSummary ctx={ctx} errors={props.errors} labels={labels} />
      <p safe>{t('consultations.admin.outcomeIntro')}</p>
      <ContentLanguages ctx={ctx} current={contentLocale} path={action} withText={Object.keys(c.outcome) as Locale[]} />
      <form method="post" action={withContent(action, ctx, contentLocale)} novalidate>
        <CsrfField ctx={ctx} />
        <ContentLocaleField locale={contentLocale} name="content" />
        <TextArea ctx={ctx} name="outcome" label={labels.outcome} rows={10} values={props.values} errors={props.errors} lang={contentLocale} optional />
        <TranslationReference ctx={ctx} label={labels.outcome} value={c.outcome} locale={contentLocale} />
        <div class="form-actions">
          <button type="submit" safe>
            {t('form.save')}
          </button>{' '}
          <a href={`${base}/edit`} safe>
            {t('form.cancel')}
          </a>
        </div>
      </form>
    </Layout>
  );
}
