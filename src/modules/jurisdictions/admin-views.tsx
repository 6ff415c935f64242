import { escapeHtml } from '@kitajs/html';
import { formatDate, timeZoneNames } from '../../i18n/index.js';
import type { Locale } from '../../i18n/locales.js';
import type { FormErrors, FormValues } from '../../lib/forms.js';
import { pickText, type Translatable } from '../../lib/translatable.js';
import { ContentLanguages, ContentLocaleField, inFormOrder, languageName, localesWithText, TranslationReference } from '../../ui/admin.js';
import { Breadcrumbs, Localized } from '../../ui/components.js';
import type { PageContext } from '../../ui/context.js';
import { CsrfField, ErrorSummary, Select, TextArea, TextField } from '../../ui/forms.js';
import { Layout } from '../../ui/layout.js';
import { JURISDICTION_KINDS, type PlanStatus } from '../commitments/domain.js';
import type { JurisdictionRow } from './commands.js';

export function adminBase(ctx: PageContext): string {
  return `/${ctx.locale}/admin`;
}

export function jurisdictionPath(ctx: PageContext, slug: string): string {
  return `${adminBase(ctx)}/jurisdictions/${encodeURIComponent(slug)}`;
}

/* ---------- Jurisdiction pages ---------- */

export function JurisdictionListPage({ ctx, jurisdictions, canCreate }: { ctx: PageContext; jurisdictions: JurisdictionRow[]; canCreate: boolean }): JSX.Element {
  const { t } = ctx;
  const title = t('jurisdictionsAdmin.list.title');
  return (
    <Layout ctx={ctx} title={title} admin>
      <Breadcrumbs ctx={ctx} items={[{ href: adminBase(ctx), label: t('ui.nav.admin') }, { label: title }]} />
      <h1>{escapeHtml(title)}</h1>
      {canCreate ? (
        <p>
          <a class="button" href={`${adminBase(ctx)}/jurisdictions/new`}>
            {escapeHtml(t('jurisdictionsAdmin.new.title'))}
          </a>
        </p>
      ) : (
        ''
      )}
      {jurisdictions.length === 0 ? (
        <p>{escapeHtml(t('jurisdictionsAdmin.list.empty'))}</p>
      ) : (
        <table>
          <caption class="visually-hidden">{escapeHtml(title)}</caption>
          <thead>
            <tr>
              <th scope="col">{escapeHtml(t('jurisdictionsAdmin.field.name'))}</th>
              <th scope="col">{escapeHtml(t('jurisdictionsAdmin.field.kind'))}</th>
              <th scope="col">{escapeHtml(t('jurisdictionsAdmin.field.countryCode'))}</th>
              {canCreate ? <th scope="col">{escapeHtml(t('jurisdictionsAdmin.col.actions'))}</th> : ''}
            </tr>
          </thead>
          <tbody>
            {jurisdictions.map((j) => (
              <tr>
                <th scope="row">
                  <a href={jurisdictionPath(ctx, j.slug)}>
                    <Localized ctx={ctx} value={j.name} empty={j.slug} />
                  </a>
                </th>
                <td>{escapeHtml(t(`domain.jurisdictionKind.${j.kind}` as 'domain.jurisdictionKind.local'))}</td>
                <td safe>{j.countryCode}</td>
                {canCreate ? (
                  <td>
                    <a href={`${jurisdictionPath(ctx, j.slug)}/edit`}>
                      {escapeHtml(t('jurisdictionsAdmin.edit'))}
                      <span class="visually-hidden" safe>{` ${pickText(j.name, ctx.locale) || j.slug}`}</span>
                    </a>
                  </td>
                ) : (
                  ''
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}

export interface JurisdictionFormProps {
  ctx: PageContext;
  /** Absent for a new jurisdiction. */
  jurisdiction?: JurisdictionRow | undefined;
  contentLocale: Locale;
  values: FormValues;
  errors?: FormErrors | undefined;
}

export function jurisdictionLabels(ctx: PageContext): Record<string, string> {
  const { t } = ctx;
  return {
    slug: t('jurisdictionsAdmin.field.slug'),
    kind: t('jurisdictionsAdmin.field.kind'),
    country_code: t('jurisdictionsAdmin.field.countryCode'),
    website: t('jurisdictionsAdmin.field.website'),
    time_zone: t('jurisdictionsAdmin.field.timeZone'),
    name: t('jurisdictionsAdmin.field.name'),
    description: t('jurisdictionsAdmin.field.description'),
  };
}

export function JurisdictionFormPage({ ctx, jurisdiction, contentLocale, values, errors: unordered }: JurisdictionFormProps): JSX.Element {
  const { t } = ctx;
  const labels = jurisdictionLabels(ctx);
  const errors = inFormOrder(unordered, labels);
  const name = jurisdiction ? pickText(jurisdiction.name, ctx.locale) || jurisdiction.slug : '';
  const title = jurisdiction ? t('jurisdictionsAdmin.edit.title', { name }) : t('jurisdictionsAdmin.new.title');
  const action = jurisdiction ? `${jurisdictionPath(ctx, jurisdiction.slug)}/edit` : `${adminBase(ctx)}/jurisdictions/new`;
  const crumbs = [
    { href: adminBase(ctx), label: t('ui.nav.admin') },
    { href: `${adminBase(ctx)}/jurisdictions`, label: t('jurisdictionsAdmin.list.title') },
    ...(jurisdiction ? [{ href: jurisdictionPath(ctx, jurisdiction.slug), label: name }] : []),
    { label: jurisdiction ? t('jurisdictionsAdmin.edit') : t('jurisdictionsAdmin.new.title') },
  ];
  return (
    <Layout ctx={ctx} title={title} admin>
      <Breadcrumbs ctx={ctx} items={crumbs} />
      <h1 safe>{title}</h1>
      <ErrorSummary ctx={ctx} errors={errors} labels={labels} />
      <ContentLanguages
        ctx={ctx}
        current={contentLocale}
        path={action}
        withText={jurisdiction ? localesWithText(jurisdiction.name, jurisdiction.description) : undefined}
      />
      <form method="post" action={action} novalidate>
        <CsrfField ctx={ctx} />
        <ContentLocaleField locale={contentLocale} />
        <TextField ctx={ctx} name="slug" label={labels.slug!} hint={t('jurisdictionsAdmin.field.slugHint')} values={values} errors={errors} />
        <Select
          ctx={ctx}
          name="kind"
          label={labels.kind!}
          values={values}
          errors={errors}
          options={JURISDICTION_KINDS.map((k) => ({ value: k, label: t(`domain.jurisdictionKind.${k}`) }))}
        />
        <TextField
          ctx={ctx}
          name="country_code"
          label={labels.country_code!}
          hint={t('jurisdictionsAdmin.field.countryCodeHint')}
          values={values}
          errors={errors}
        />
        <TextField ctx={ctx} name="website" type="url" label={labels.website!} values={values} errors={errors} optional />
        <TextField
          ctx={ctx}
          name="time_zone"
          label={labels.time_zone!}
          hint={t('jurisdictionsAdmin.field.timeZoneHint', { example: 'Europe/Belgrade' })}
          values={values}
          errors={errors}
          list="time-zones"
          autocomplete="off"
        />
        {/* Suggestions while typing; the server checks the name whatever is typed. */}
        <datalist id="time-zones">
          {timeZoneNames().map((zone) => (
            <option value={zone} />
          ))}
        </datalist>
        <fieldset class="translatable">
          <legend safe>{t('jurisdictionsAdmin.content.legend', { language: languageName(ctx, contentLocale) })}</legend>
          <TranslationReference ctx={ctx} label={labels.name!} value={jurisdiction?.name} locale={contentLocale} />
          <TextField ctx={ctx} name="name" label={labels.name!} values={values} errors={errors} lang={contentLocale} />
          <TranslationReference ctx={ctx} label={labels.description!} value={jurisdiction?.description} locale={contentLocale} />
          <TextArea ctx={ctx} name="description" label={labels.description!} values={values} errors={errors} lang={contentLocale} optional rows={8} />
        </fieldset>
        <div class="form-actions">
          <button type="submit">{escapeHtml(t('form.save'))}</button>{' '}
          <a href={jurisdiction ? jurisdictionPath(ctx, jurisdiction.slug) : `${adminBase(ctx)}/jurisdictions`}>{escapeHtml(t('form.cancel'))}</a>
        </div>
      </form>
    </Layout>
  );
}

export interface JurisdictionPageData {
  jurisdiction: JurisdictionRow;
  institutions: { id: number; slug: string; kind: string; name: Translatable }[];
  plans: { id: number; slug: string; title: Translatable; status: PlanStatus; startsOn: string; endsOn: string }[];
  canEdit: boolean;
}

export function JurisdictionAdminPage({ ctx, data }: { ctx: PageContext; data: JurisdictionPageData }): JSX.Element {
  const { t } = ctx;
  const { jurisdiction, institutions, plans } = data;
  const base = jurisdictionPath(ctx, jurisdiction.slug);
  const name = pickText(jurisdiction.name, ctx.locale) || jurisdiction.slug;
  return (
    <Layout ctx={ctx} title={name} admin>
      <Breadcrumbs
        ctx={ctx}
        items={[
          { href: adminBase(ctx), label: t('ui.nav.admin') },
          { href: `${adminBase(ctx)}/jurisdictions`, label: t('jurisdictionsAdmin.list.title') },
          { label: name },
        ]}
      />
      <Localized ctx={ctx} value={jurisdiction.name} as="h1" empty={jurisdiction.slug} />
      <dl class="summary-list">
        <dt>{escapeHtml(t('jurisdictionsAdmin.field.slug'))}</dt>
        <dd>
          <code safe>{jurisdiction.slug}</code>
        </dd>
        <dt>{escapeHtml(t('jurisdictionsAdmin.field.kind'))}</dt>
        <dd>{escapeHtml(t(`domain.jurisdictionKind.${jurisdiction.kind}` as 'domain.jurisdictionKind.local'))}</dd>
        <dt>{escapeHtml(t('jurisdictionsAdmin.field.countryCode'))}</dt>
        <dd safe>{jurisdiction.countryCode}</dd>
        <dt>{escapeHtml(t('jurisdictionsAdmin.field.timeZone'))}</dt>
        <dd safe>{jurisdiction.timeZone}</dd>
        <dt>{escapeHtml(t('jurisdictionsAdmin.field.website'))}</dt>
        <dd>
          {jurisdiction.website ? (
            <a href={jurisdiction.website} rel="noopener noreferrer" safe>
              {jurisdiction.website}
            </a>
          ) : (
            escapeHtml(t('ui.notSet'))
          )}
        </dd>
      </dl>
      {data.canEdit ? (
        <p>
          <a href={`${base}/edit`}>{escapeHtml(t('jurisdictionsAdmin.page.edit'))}</a>
        </p>
      ) : (
        ''
      )}
      <p>
        <a href={`${base}/branding`}>{escapeHtml(t('brandingAdmin.link'))}</a>
      </p>
      <p>
        <a href={`${base}/bodies`}>{escapeHtml(t('bodies.adminHome.title'))}</a>{' '}
        <a href={`${base}/meetings`}>{escapeHtml(t('meetings.admin.title'))}</a>{' '}
        <a href={`${base}/consultations`}>{escapeHtml(t('consultations.admin.title'))}</a>
      </p>

      <h2 id="plans">{escapeHtml(t('jurisdictionsAdmin.page.plans'))}</h2>
      <p>
        <a class="button" href={`${base}/plans/new`}>
          {escapeHtml(t('jurisdictionsAdmin.page.newPlan'))}
        </a>
      </p>
      {plans.length === 0 ? (
        <p>{escapeHtml(t('jurisdictionsAdmin.page.noPlans'))}</p>
      ) : (
        <table aria-labelledby="plans">
          <thead>
            <tr>
              <th scope="col">{escapeHtml(t('jurisdictionsAdmin.col.title'))}</th>
              <th scope="col">{escapeHtml(t('jurisdictionsAdmin.col.period'))}</th>
              <th scope="col">{escapeHtml(t('jurisdictionsAdmin.col.status'))}</th>
              <th scope="col">{escapeHtml(t('jurisdictionsAdmin.col.actions'))}</th>
            </tr>
          </thead>
          <tbody>
            {plans.map((p) => (
              <tr>
                <th scope="row">
                  <a href={`${base}/plans/${encodeURIComponent(p.slug)}`}>
                    <Localized ctx={ctx} value={p.title} empty={p.slug} />
                  </a>
                </th>
                <td safe>
                  {t('plansAdmin.page.periodValue', { start: formatDate(ctx.locale, p.startsOn, 'short'), end: formatDate(ctx.locale, p.endsOn, 'short') })}
                </td>
                <td>{escapeHtml(t(`domain.planStatus.${p.status}`))}</td>
                <td>
                  <a href={`${base}/plans/${encodeURIComponent(p.slug)}/edit`}>
                    {escapeHtml(t('jurisdictionsAdmin.edit'))}
                    <span class="visually-hidden" safe>{` ${pickText(p.title, ctx.locale) || p.slug}`}</span>
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2 id="institutions">{escapeHtml(t('jurisdictionsAdmin.page.institutions'))}</h2>
      <p>
        <a class="button" href={`${base}/institutions/new`}>
          {escapeHtml(t('jurisdictionsAdmin.page.newInstitution'))}
        </a>
      </p>
      {institutions.length === 0 ? (
        <p>{escapeHtml(t('jurisdictionsAdmin.page.noInstitutions'))}</p>
      ) : (
        <table aria-labelledby="institutions">
          <thead>
            <tr>
              <th scope="col">{escapeHtml(t('institutionsAdmin.field.name'))}</th>
              <th scope="col">{escapeHtml(t('institutionsAdmin.field.kind'))}</th>
              <th scope="col">{escapeHtml(t('jurisdictionsAdmin.col.actions'))}</th>
            </tr>
          </thead>
          <tbody>
            {institutions.map((i) => (
              <tr>
                <th scope="row">
                  <Localized ctx={ctx} value={i.name} empty={i.slug} />
                </th>
                <td>{escapeHtml(t(`domain.institutionKind.${i.kind}` as 'domain.institutionKind.other'))}</td>
                <td>
                  <a href={`${base}/institutions/${encodeURIComponent(i.slug)}/edit`}>
                    {escapeHtml(t('jurisdictionsAdmin.edit'))}
                    <span class="visually-hidden" safe>{` ${pickText(i.name, ctx.locale) || i.slug}`}</span>
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}
