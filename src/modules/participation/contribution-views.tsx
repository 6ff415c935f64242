import { escapeHtml } from '@kitajs/html';
import { formatDate, dayIn } from '../../i18n/index.js';
import type { FormErrors, FormValues } from '../../lib/forms.js';
import { DemoTag, Localized } from '../../ui/components.js';
import type { PageContext } from '../../ui/context.js';
import { CsrfField, ErrorSummary, Select, TextArea, TextField } from '../../ui/forms.js';
import { Layout } from '../../ui/layout.js';
import { CONFIRM_HOURS, FLAG_REASONS, LIMITS_TEXT, PROPOSAL_VALUES, type ContributionKind } from './contribution-commands.js';
import { consultationPath, type ConsultationStatus, type ConsultationView } from './consultation-queries.js';

/**
 * The pages of a member of the public: the contribution form (a comment, a proposal or a reply),
 * "check your e-mail", the confirmation page, the flag form and the pages after them. None of them
 * is cached (forms carry a CSRF token); none shows an e-mail address.
 */

export function contributePath(locale: string, c: Pick<ConsultationView, 'jurisdictionSlug' | 'slug'>, query = ''): string {
  return `${consultationPath(locale, c.jurisdictionSlug, c.slug)}/contribute${query}`;
}

export function flagPath(locale: string, c: Pick<ConsultationView, 'jurisdictionSlug' | 'slug'>, id: number): string {
  return `${consultationPath(locale, c.jurisdictionSlug, c.slug)}/contributions/${id}/flag`;
}

export function privacyNoticePath(locale: string): string {
  return `/${locale}/privacy#participation`;
}

function titleOf(ctx: PageContext, c: ConsultationView): string {
  return c.title[ctx.locale] ?? Object.values(c.title).find(Boolean) ?? c.slug;
}

function BackLink({ ctx, consultation }: { ctx: PageContext; consultation: ConsultationView }): JSX.Element {
  return (
    <p>
      <a href={consultationPath(ctx.locale, consultation.jurisdictionSlug, consultation.slug)}>
        {escapeHtml(ctx.t('contribution.back', { title: titleOf(ctx, consultation) }))}
      </a>
    </p>
  );
}

/** A quoted contribution (the comment a reply answers, the one being flagged). */
export function QuotedContribution({ ctx, quoted, timeZone }: { ctx: PageContext; quoted: QuotedRow; timeZone: string }): JSX.Element {
  return (
    <figure class="quoted-contribution">
      <blockquote>
        {quoted.body.split(/\n\s*\n/).map((p) => (
          <p safe>{p}</p>
        ))}
      </blockquote>
      <figcaption>
        <bdi safe>{quoted.authorName ?? ctx.t('contribution.anonymised')}</bdi>
        {quoted.publishedAt ? ` · ${escapeHtml(formatDate(ctx.locale, dayIn(quoted.publishedAt, timeZone)))}` : ''}
      </figcaption>
    </figure>
  );
}

export interface QuotedRow {
  id: number;
  authorName: string | null;
  body: string;
  publishedAt: string | null;
}

export interface ContributeFormProps {
  ctx: PageContext;
  consultation: ConsultationView;
  kind: ContributionKind;
  parent?: QuotedRow | undefined;
  values: FormValues;
  errors?: FormErrors | undefined;
  /** The form was refused by the rate limits: a notice above it (everything typed kept). */
  limited?: boolean;
}

function required(label: string): string {
  return `${label} *`;
}

export function ContributeFormPage({ ctx, consultation, kind, parent, values, errors, limited }: ContributeFormProps): JSX.Element {
  const { t } = ctx;
  const title = parent ? t('contribution.form.replyTitle') : kind === 'proposal' ? t('contribution.form.proposalTitle') : t('contribution.form.commentTitle');
  const labels: Record<string, string> = {
    kind: t('contribution.form.kind'),
    author_name: t('contribution.form.name'),
    email: t('contribution.form.email'),
    theme: t('contribution.form.theme'),
    ogp_value: t('contribution.form.value'),
    body: kind === 'proposal' ? t('contribution.form.proposalBody') : t('contribution.form.commentBody'),
    consent: t('contribution.form.consentLabel'),
  };
  const query = parent ? `?reply=${parent.id}` : kind === 'proposal' ? '?kind=proposal' : '';
  const consentError = errors?.for('consent');
  return (
    <Layout ctx={ctx} title={title} demo={consultation.isDemo}>
      <BackLink ctx={ctx} consultation={consultation} />
      <h1 safe>{title}</h1>
      <p class="lead">
        <Localized ctx={ctx} value={consultation.title} />
      </p>
      {parent ? (
        <section aria-labelledby="replying-to">
          <h2 id="replying-to" safe>{t('contribution.form.replyingTo')}</h2>
          <QuotedContribution ctx={ctx} quoted={parent} timeZone={consultation.timeZone} />
        </section>
      ) : (
        ''
      )}
      {limited ? (
        <div class="notice notice-warning" role="alert">
          <p safe>{t('contribution.limited.body')}</p>
        </div>
      ) : (
        ''
      )}
      <ErrorSummary ctx={ctx} errors={errors} labels={labels} />
      <p safe>{t('contribution.form.privacyNote')}</p>
      <p safe>{t('contribution.form.requiredNote')}</p>
      <form method="post" action={contributePath(ctx.locale, consultation, query)} novalidate>
        <CsrfField ctx={ctx} />
        <input type="hidden" name="kind" value={kind} />
        {parent ? <input type="hidden" name="reply" value={String(parent.id)} /> : ''}
        <TextField ctx={ctx} name="author_name" label={required(labels.author_name!)} hint={t('contribution.form.nameHint')} values={values} errors={errors} autocomplete="nickname" />
        <TextField ctx={ctx} name="email" type="email" label={required(labels.email!)} hint={t('contribution.form.emailHint', { hours: CONFIRM_HOURS })} values={values} errors={errors} autocomplete="email" />
        {kind === 'proposal' ? (
          <>
            <TextField ctx={ctx} name="theme" label={required(labels.theme!)} hint={t('contribution.form.themeHint')} values={values} errors={errors} />
            <Select
              ctx={ctx}
              name="ogp_value"
              label={labels.ogp_value!}
              hint={t('contribution.form.valueHint')}
              values={values}
              errors={errors}
              optional
              options={PROPOSAL_VALUES.map((v) => ({ value: v, label: t(`domain.ogpValue.${v}`) }))}
            />
          </>
        ) : (
          ''
        )}
        <TextArea ctx={ctx} name="body" label={required(labels.body!)} hint={t('contribution.form.bodyHint', { max: LIMITS_TEXT.body })} values={values} errors={errors} rows={10} />
        <div class={consentError ? 'field field-error' : 'field'}>
          {consentError ? (
            <p class="error-message" id="error-consent" safe>
              {t(consentError.message as 'contribution.error.consent')}
            </p>
          ) : (
            ''
          )}
          <div class="checkbox">
            <input type="checkbox" id="field-consent" name="consent" value="yes" checked={values.consent === 'yes'} required aria-describedby={consentError ? 'error-consent' : undefined} aria-invalid={consentError ? 'true' : undefined} />
            <label for="field-consent">
              {escapeHtml(t('contribution.form.consent'))} <a href={privacyNoticePath(ctx.locale)}>{escapeHtml(t('contribution.form.consentLink'))}</a> *
            </label>
          </div>
        </div>
        <div class="visually-hidden">
          <label for="field-website">{escapeHtml(t('contribution.form.honeypot'))}</label>
          <input type="text" id="field-website" name="website" value="" autocomplete="off" tabindex="-1" />
        </div>
        <button type="submit">{escapeHtml(kind === 'proposal' ? t('contribution.form.submitProposal') : t('contribution.form.submitComment'))}</button>
      </form>
    </Layout>
  );
}

/** A short page: a title, paragraphs and links (sent, closed, confirmed, invalid links, flag thanks). */
export function NoticePage({
  ctx,
  title,
  paragraphs,
  links = [],
  demo,
  kept,
}: {
  ctx: PageContext;
  title: string;
  paragraphs: string[];
  links?: { href: string; label: string }[];
  demo?: boolean;
  /** Text the person typed and could not send: shown so that nothing they wrote is lost. */
  kept?: string;
}): JSX.Element {
  return (
    <Layout ctx={ctx} title={title} demo={demo}>
      <h1 safe>{title}</h1>
      {paragraphs.map((p) => (
        <p safe>{p}</p>
      ))}
      {kept ? (
        <>
          <h2 safe>{ctx.t('contribution.closed.kept')}</h2>
          <blockquote class="kept-text" safe>
            {kept}
          </blockquote>
        </>
      ) : (
        ''
      )}
      {links.length ? (
        <ul class="links">
          {links.map((l) => (
            <li>
              <a href={l.href} safe>
                {l.label}
              </a>
            </li>
          ))}
        </ul>
      ) : (
        ''
      )}
    </Layout>
  );
}

export function closedParagraph(ctx: PageContext, consultation: ConsultationView, status: ConsultationStatus): string {
  const { t } = ctx;
  if (status === 'announced') return t('contribution.closed.announced', { date: formatDate(ctx.locale, consultation.opensOn) });
  if (status === 'responded') return t('contribution.closed.responded');
  return t('contribution.closed.closed', { date: formatDate(ctx.locale, consultation.closesOn) });
}

export function ConfirmPage({ ctx, action }: { ctx: PageContext; action: string }): JSX.Element {
  const { t } = ctx;
  const title = t('contribution.confirm.title');
  return (
    <Layout ctx={ctx} title={title}>
      <h1 safe>{title}</h1>
      <p safe>{t('contribution.confirm.body')}</p>
      <form method="post" action={action}>
        <CsrfField ctx={ctx} />
        <button type="submit">{escapeHtml(t('contribution.confirm.button'))}</button>
      </form>
      <p>
        <a href={privacyNoticePath(ctx.locale)}>{escapeHtml(t('contribution.privacyLink'))}</a>
      </p>
    </Layout>
  );
}

export function FlagFormPage({ ctx, consultation, quoted, values, errors, limited }: { ctx: PageContext; consultation: ConsultationView; quoted: QuotedRow; values: FormValues; errors?: FormErrors | undefined; limited?: boolean }): JSX.Element {
  const { t } = ctx;
  const title = t('contribution.flag.title');
  const labels = { reason: t('contribution.flag.reason'), details: t('contribution.flag.details') };
  return (
    <Layout ctx={ctx} title={title} demo={consultation.isDemo}>
      <BackLink ctx={ctx} consultation={consultation} />
      <h1 safe>{title}</h1>
      <QuotedContribution ctx={ctx} quoted={quoted} timeZone={consultation.timeZone} />
      <p safe>{t('contribution.flag.intro')}</p>
      {limited ? (
        <div class="notice notice-warning" role="alert">
          <p safe>{t('contribution.limited.flag')}</p>
        </div>
      ) : (
        ''
      )}
      <ErrorSummary ctx={ctx} errors={errors} labels={labels} />
      <p safe>{t('contribution.form.requiredNote')}</p>
      <form method="post" action={flagPath(ctx.locale, consultation, quoted.id)} novalidate>
        <CsrfField ctx={ctx} />
        <Select
          ctx={ctx}
          name="reason"
          label={required(labels.reason)}
          values={values}
          errors={errors}
          placeholder={t('contribution.flag.choose')}
          options={FLAG_REASONS.map((r) => ({ value: r, label: t(`contribution.flag.reason.${r}`) }))}
        />
        <TextArea ctx={ctx} name="details" label={labels.details} hint={t('contribution.flag.detailsHint', { max: LIMITS_TEXT.reason })} values={values} errors={errors} optional rows={4} />
        <button type="submit">{escapeHtml(t('contribution.flag.submit'))}</button>
      </form>
    </Layout>
  );
}

export function ErasePage({ ctx, action }: { ctx: PageContext; action: string }): JSX.Element {
  const { t } = ctx;
  const title = t('contribution.erase.title');
  return (
    <Layout ctx={ctx} title={title}>
      <h1 safe>{title}</h1>
      <p safe>{t('contribution.erase.intro')}</p>
      <ul>
        <li safe>{t('contribution.erase.contributions')}</li>
        <li safe>{t('contribution.erase.unconfirmed')}</li>
        <li safe>{t('contribution.erase.subscriptions')}</li>
      </ul>
      <p safe>{t('contribution.erase.final')}</p>
      <form method="post" action={action}>
        <CsrfField ctx={ctx} />
        <button type="submit" class="button-warning">{escapeHtml(t('contribution.erase.button'))}</button>
      </form>
      <p>
        <a href={privacyNoticePath(ctx.locale)}>{escapeHtml(t('contribution.privacyLink'))}</a>
      </p>
    </Layout>
  );
}

export { DemoTag };
