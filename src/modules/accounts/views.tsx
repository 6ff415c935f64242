import { escapeHtml } from '@kitajs/html';
import type { PageContext } from '../../ui/context.js';
import { CsrfField, ErrorSummary, TextField } from '../../ui/forms.js';
import { Layout } from '../../ui/layout.js';
import type { FormErrors, FormValues } from '../../lib/forms.js';

export function LoginPage({ ctx, values, errors, next }: { ctx: PageContext; values: FormValues; errors?: FormErrors; next: string }): JSX.Element {
  const { t } = ctx;
  const labels = { email: t('accounts.login.email'), password: t('accounts.login.password') };
  return (
    <Layout ctx={ctx} title={t('accounts.login.title')} admin>
      <h1>{escapeHtml(t('accounts.login.title'))}</h1>
      <ErrorSummary ctx={ctx} errors={errors} labels={labels} />
      <form method="post" action={`/${ctx.locale}/login`} novalidate>
        <CsrfField ctx={ctx} />
        <input type="hidden" name="next" value={next} />
        <TextField ctx={ctx} name="email" type="email" label={labels.email} values={values} errors={errors} autocomplete="username" />
        <TextField ctx={ctx} name="password" type="password" label={labels.password} values={values} errors={errors} autocomplete="current-password" />
        <button type="submit">{escapeHtml(t('accounts.login.submit'))}</button>
      </form>
    </Layout>
  );
}

export function SetupPage({ ctx, token, values, errors }: { ctx: PageContext; token: string; values: FormValues; errors?: FormErrors }): JSX.Element {
  const { t } = ctx;
  const labels = { display_name: t('accounts.setup.displayName'), email: t('accounts.setup.email'), password: t('accounts.setup.password') };
  return (
    <Layout ctx={ctx} title={t('accounts.setup.title')} admin>
      <h1>{escapeHtml(t('accounts.setup.title'))}</h1>
      <p>{escapeHtml(t('accounts.setup.intro'))}</p>
      <ErrorSummary ctx={ctx} errors={errors} labels={labels} />
      <form method="post" action={`/${ctx.locale}/setup/${encodeURIComponent(token)}`} novalidate>
        <CsrfField ctx={ctx} />
        <TextField ctx={ctx} name="display_name" label={labels.display_name} values={values} errors={errors} autocomplete="name" />
        <TextField ctx={ctx} name="email" type="email" label={labels.email} values={values} errors={errors} autocomplete="email" />
        <TextField ctx={ctx} name="password" type="password" label={labels.password} hint={t('accounts.setup.passwordHint')} values={values} errors={errors} autocomplete="new-password" />
        <button type="submit">{escapeHtml(t('accounts.setup.submit'))}</button>
      </form>
    </Layout>
  );
}

export function MessagePage({ ctx, title, body }: { ctx: PageContext; title: string; body: string }): JSX.Element {
  return (
    <Layout ctx={ctx} title={title} admin>
      <h1 safe>{title}</h1>
      <p safe>{body}</p>
    </Layout>
  );
}
