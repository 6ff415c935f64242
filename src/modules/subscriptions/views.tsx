import { escapeHtml } from '@kitajs/html';
import { LOCALES, LOCALE_NAMES } from '../../i18n/locales.js';
import type { FormErrors, FormValues } from '../../lib/forms.js';
import { Localized } from '../../ui/components.js';
import type { PageContext } from '../../ui/context.js';
import { Checkboxes, CsrfField, ErrorSummary, Select, TextField } from '../../ui/forms.js';
import { Layout } from '../../ui/layout.js';
import { FREQUENCIES } from './commands.js';
import { topicParam, type TopicView } from './topics.js';

/** The pages of subscriptions: not cached (each holds a form with a CSRF token, or a personal link). */

function frequencyOptions(ctx: PageContext) {
  return FREQUENCIES.map((f) => ({ value: f, label: ctx.t(`subscriptions.frequency.${f}`) }));
}

function languageOptions() {
  return LOCALES.map((l) => ({ value: l, label: LOCALE_NAMES[l] }));
}

/** What is followed: its name (a fallback marked as such) and a link to its page. */
function TopicLine({ ctx, view }: { ctx: PageContext; view: TopicView }): JSX.Element {
  return (
    <p class="subscription-topic">
      {escapeHtml(ctx.t(`subscriptions.topicType.${view.topic.type}`))}
      {': '}
      <a href={`/${ctx.locale}${view.path}`}>
        {view.code ? <span class="code">{escapeHtml(view.code)} </span> : ''}
        <Localized ctx={ctx} value={view.title} empty={view.path} />
      </a>
      {view.isDemo ? <strong> {escapeHtml(ctx.t('subscriptions.demo'))}</strong> : ''}
    </p>
  );
}

export function SubscribePage({ ctx, view, values, errors }: { ctx: PageContext; view: TopicView; values: FormValues; errors?: FormErrors | undefined }): JSX.Element {
  const { t } = ctx;
  const labels = { email: t('subscriptions.form.email'), frequency: t('subscriptions.form.frequency'), locale: t('subscriptions.form.locale'), consent: t('subscriptions.form.consentLegend') };
  return (
    <Layout ctx={ctx} title={t('subscriptions.new.title')} demo={view.isDemo}>
      <h1 safe>{t('subscriptions.new.title')}</h1>
      <TopicLine ctx={ctx} view={view} />
      <p safe>{t('subscriptions.new.intro')}</p>
      <ErrorSummary ctx={ctx} errors={errors} labels={labels} />
      <form method="post" action={`/${ctx.locale}/subscriptions/new`} novalidate>
        <CsrfField ctx={ctx} />
        <input type="hidden" name="topic" value={topicParam(view.topic)} />
        <TextField ctx={ctx} name="email" type="email" autocomplete="email" label={labels.email} hint={t('subscriptions.form.emailHint')} values={values} errors={errors} />
        <Select ctx={ctx} name="frequency" label={labels.frequency} options={frequencyOptions(ctx)} values={values} errors={errors} />
        <Select ctx={ctx} name="locale" label={labels.locale} options={languageOptions()} values={values} errors={errors} />
        <p>
          <a href={`/${ctx.locale}/privacy`}>{escapeHtml(t('subscriptions.form.privacyLink'))}</a>
        </p>
        <Checkboxes
          ctx={ctx}
          name="consent"
          label={labels.consent}
          options={[{ value: 'yes', label: t('subscriptions.form.consent') }]}
          selected={values.consent === 'yes' ? ['yes'] : []}
          values={values}
          errors={errors}
        />
        <button type="submit">{escapeHtml(t('subscriptions.form.submit'))}</button>
      </form>
    </Layout>
  );
}

export function MessagePage({ ctx, title, body }: { ctx: PageContext; title: string; body: string }): JSX.Element {
  return (
    <Layout ctx={ctx} title={title}>
      <h1 safe>{title}</h1>
      <p safe>{body}</p>
      <p>
        <a href={`/${ctx.locale}/`}>{escapeHtml(ctx.t('ui.nav.home'))}</a>
      </p>
    </Layout>
  );
}

export function ConfirmPage({ ctx, view, token }: { ctx: PageContext; view: TopicView; token: string }): JSX.Element {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('subscriptions.confirm.title')} demo={view.isDemo}>
      <h1 safe>{t('subscriptions.confirm.title')}</h1>
      <TopicLine ctx={ctx} view={view} />
      <p safe>{t('subscriptions.confirm.body')}</p>
      <form method="post" action={`/${ctx.locale}/subscriptions/confirm/${token}`}>
        <CsrfField ctx={ctx} />
        <button type="submit">{escapeHtml(t('subscriptions.confirm.button'))}</button>
      </form>
    </Layout>
  );
}

export function ManagePage({
  ctx,
  view,
  token,
  values,
  errors,
  confirmed,
}: {
  ctx: PageContext;
  view: TopicView | undefined;
  token: string;
  values: FormValues;
  errors?: FormErrors | undefined;
  confirmed: boolean;
}): JSX.Element {
  const { t } = ctx;
  const labels = { frequency: t('subscriptions.form.frequency'), locale: t('subscriptions.form.locale') };
  return (
    <Layout ctx={ctx} title={t('subscriptions.manage.title')}>
      <h1 safe>{t('subscriptions.manage.title')}</h1>
      {view ? <TopicLine ctx={ctx} view={view} /> : <p safe>{t('subscriptions.topicGone')}</p>}
      {confirmed ? '' : <p safe>{t('subscriptions.manage.unconfirmed')}</p>}
      <ErrorSummary ctx={ctx} errors={errors} labels={labels} />
      <h2 safe>{t('subscriptions.manage.settings')}</h2>
      <form method="post" action={`/${ctx.locale}/subscriptions/manage/${token}`}>
        <CsrfField ctx={ctx} />
        <Select ctx={ctx} name="frequency" label={labels.frequency} options={frequencyOptions(ctx)} values={values} errors={errors} />
        <Select ctx={ctx} name="locale" label={labels.locale} options={languageOptions()} values={values} errors={errors} />
        <button type="submit">{escapeHtml(t('subscriptions.manage.save'))}</button>
      </form>
      <h2 safe>{t('subscriptions.manage.stop')}</h2>
      <p safe>{t('subscriptions.manage.stopBody')}</p>
      <form method="post" action={`/subscriptions/unsubscribe/${token}`}>
        <input type="hidden" name="List-Unsubscribe" value="One-Click" />
        <button type="submit" class="secondary">
          {escapeHtml(t('subscriptions.unsubscribe.button'))}
        </button>
      </form>
    </Layout>
  );
}

export function UnsubscribePage({ ctx, view, token }: { ctx: PageContext; view: TopicView | undefined; token: string }): JSX.Element {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('subscriptions.unsubscribe.title')}>
      <h1 safe>{t('subscriptions.unsubscribe.title')}</h1>
      {view ? <TopicLine ctx={ctx} view={view} /> : ''}
      <p safe>{t('subscriptions.unsubscribe.body')}</p>
      <form method="post" action={`/subscriptions/unsubscribe/${token}`}>
        <input type="hidden" name="List-Unsubscribe" value="One-Click" />
        <button type="submit">{escapeHtml(t('subscriptions.unsubscribe.button'))}</button>
      </form>
    </Layout>
  );
}
