import { formatDateTime, type MessageKey } from '../../../i18n/index.js';
import { LOCALES } from '../../../i18n/locales.js';
import type { FormErrors, FormValues } from '../../../lib/forms.js';
import { inFormOrder, languageName } from '../../../ui/admin.js';
import { Breadcrumbs, DemoTag, Localized, StatusTag } from '../../../ui/components.js';
import type { PageContext } from '../../../ui/context.js';
import { CsrfField, ErrorSummary, TextArea, TextField } from '../../../ui/forms.js';
import { Layout } from '../../../ui/layout.js';
import type { WitnessStatus, WitnessView } from './queries.js';

/** The administration's pages of witnesses, under /{locale}/admin/witnesses (instance administrators). */

export function witnessesAdminPath(ctx: PageContext): string {
  return `/${ctx.locale}/admin/witnesses`;
}

/** The form field of the policy in one language. */
export const policyField = (locale: string) => `policy_${locale.replace('-', '_')}`;

function crumbs(ctx: PageContext, tail: { href?: string; label: string }[]) {
  return [{ href: `/${ctx.locale}/admin`, label: ctx.t('ui.nav.admin') }, ...tail];
}

/** Each last status in words. */
export const WITNESS_STATUS_WORDS: Record<WitnessStatus, MessageKey> = {
  cosigned: 'transparency.witnesses.status.cosigned',
  unreachable: 'transparency.witnesses.status.unreachable',
  refused: 'transparency.witnesses.status.refused',
  conflict: 'transparency.witnesses.status.conflict',
};

/** A witness's last status in words, or "not contacted yet". */
export function witnessStatusWord(ctx: PageContext, w: Pick<WitnessView, 'lastStatus'>): string {
  return ctx.t(w.lastStatus ? WITNESS_STATUS_WORDS[w.lastStatus] : 'transparency.witnesses.status.never');
}

/** A witness's last contact in words: its status and when, or "not contacted yet". */
export function witnessStatusText(ctx: PageContext, w: Pick<WitnessView, 'lastStatus' | 'lastContactAt'>): string {
  const { t } = ctx;
  const status = witnessStatusWord(ctx, w);
  if (!w.lastContactAt) return status;
  return t('transparency.witnesses.statusAt', { status, time: formatDateTime(ctx.locale, w.lastContactAt, 'UTC', 'medium') });
}

/** The list, the quorum and the link to add a witness. */
export function WitnessesAdminPage(props: { ctx: PageContext; witnesses: WitnessView[]; quorum: number; values?: FormValues; errors?: FormErrors | undefined }): JSX.Element {
  const { ctx, witnesses, quorum } = props;
  const { t } = ctx;
  const base = witnessesAdminPath(ctx);
  const title = t('transparency.witnesses.admin.title');
  const active = witnesses.filter((w) => w.active).length;
  const labels = { quorum: t('transparency.witnesses.admin.quorum') };
  const values = props.values ?? { quorum: String(quorum) };
  return (
    <Layout ctx={ctx} title={title} admin>
      <Breadcrumbs ctx={ctx} items={crumbs(ctx, [{ label: title }])} />
      <h1 safe>{title}</h1>
      <p safe>{t('transparency.witnesses.admin.intro')}</p>
      <p>
        <a class="button" href={`${base}/new`} safe>
          {t('transparency.witnesses.admin.add')}
        </a>{' '}
        <a href={`/${ctx.locale}/transparency#transparency-witnesses`} safe>
          {t('transparency.witnesses.admin.publicPage')}
        </a>
      </p>
      {witnesses.length === 0 ? (
        <p safe>{t('transparency.witnesses.admin.none')}</p>
      ) : (
        <div class="table-wrap">
          <table class="stacked">
            <caption safe>{t('transparency.witnesses.admin.caption', { count: witnesses.length, active })}</caption>
            <thead>
              <tr>
                <th scope="col" safe>{t('transparency.witnesses.field.name')}</th>
                <th scope="col" safe>{t('transparency.witnesses.field.operator')}</th>
                <th scope="col" safe>{t('transparency.witnesses.field.url')}</th>
                <th scope="col" safe>{t('transparency.witnesses.field.vkey')}</th>
                <th scope="col" safe>{t('transparency.witnesses.field.active')}</th>
                <th scope="col" safe>{t('transparency.witnesses.field.lastContact')}</th>
                <th scope="col" safe>{t('transparency.witnesses.field.latestCosignature')}</th>
              </tr>
            </thead>
            <tbody>
              {witnesses.map((w) => (
                <tr id={`witness-${w.id}`}>
                  <th scope="row">
                    <a href={`${base}/${w.id}`}>
                      <code safe>{w.name}</code>
                    </a>
                    {w.isDemo ? (
                      <>
                        {' '}
                        <DemoTag ctx={ctx} />
                      </>
                    ) : (
                      ''
                    )}
                  </th>
                  <td data-label={t('transparency.witnesses.field.operator')} safe>
                    {w.operator}
                  </td>
                  <td data-label={t('transparency.witnesses.field.url')}>
                    <code class="hash" safe>
                      {w.url}
                    </code>
                  </td>
                  <td data-label={t('transparency.witnesses.field.vkey')}>
                    <code class="hash" safe>
                      {w.vkey}
                    </code>
                  </td>
                  <td data-label={t('transparency.witnesses.field.active')}>
                    <StatusTag status={w.active ? 'active' : 'inactive'} label={t(w.active ? 'transparency.witnesses.active' : 'transparency.witnesses.inactive')} />
                  </td>
                  <td data-label={t('transparency.witnesses.field.lastContact')}>
                    <span safe>{witnessStatusText(ctx, w)}</span>
                    {w.lastError ? (
                      <>
                        {' '}
                        <span class="meta" safe>{`(${w.lastError})`}</span>
                      </>
                    ) : (
                      ''
                    )}
                  </td>
                  <td data-label={t('transparency.witnesses.field.latestCosignature')} safe>
                    {w.latest
                      ? t('transparency.witnesses.cosignedSizeAt', { size: w.latest.treeSize, time: formatDateTime(ctx.locale, w.latest.signedAt, 'UTC', 'medium') })
                      : t('transparency.witnesses.noCosignature')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <section aria-labelledby="quorum-title">
        <h2 id="quorum-title" safe>
          {t('transparency.witnesses.admin.quorumTitle')}
        </h2>
        <p safe>{t('transparency.witnesses.admin.quorumHelp', { active })}</p>
        <ErrorSummary ctx={ctx} errors={props.errors} labels={labels} />
        <form method="post" action={`${base}/quorum`} novalidate>
          <CsrfField ctx={ctx} />
          <TextField ctx={ctx} name="quorum" type="number" label={labels.quorum} values={values} errors={props.errors} />
          <div class="form-actions">
            <button type="submit" safe>
              {t('transparency.witnesses.admin.saveQuorum')}
            </button>
          </div>
        </form>
      </section>
    </Layout>
  );
}

export function witnessLabels(ctx: PageContext, isNew: boolean): Record<string, string> {
  const { t } = ctx;
  const labels: Record<string, string> = {};
  if (isNew) {
    labels.name = t('transparency.witnesses.field.name');
    labels.vkey = t('transparency.witnesses.field.vkey');
  }
  labels.url = t('transparency.witnesses.field.url');
  labels.operator = t('transparency.witnesses.field.operator');
  for (const locale of LOCALES) labels[policyField(locale)] = t('transparency.witnesses.field.policyIn', { language: languageName(ctx, locale) });
  return labels;
}

/** A new witness, or a witness's page: its form (URL, operator, policy), its key, and deactivate or reactivate. */
export function WitnessFormPage(props: { ctx: PageContext; witness?: WitnessView | undefined; values: FormValues; errors?: FormErrors | undefined }): JSX.Element {
  const { ctx, witness, values } = props;
  const { t } = ctx;
  const base = witnessesAdminPath(ctx);
  const labels = witnessLabels(ctx, !witness);
  const errors = inFormOrder(props.errors, labels);
  const title = witness ? witness.name : t('transparency.witnesses.admin.add');
  const action = witness ? `${base}/${witness.id}` : `${base}/new`;
  return (
    <Layout ctx={ctx} title={title} admin>
      <Breadcrumbs ctx={ctx} items={crumbs(ctx, [{ href: base, label: t('transparency.witnesses.admin.title') }, { label: title }])} />
      <h1 safe>{title}</h1>
      {witness ? (
        <>
          <p>
            <StatusTag status={witness.active ? 'active' : 'inactive'} label={t(witness.active ? 'transparency.witnesses.active' : 'transparency.witnesses.inactive')} />
            {witness.isDemo ? (
              <>
                {' '}
                <DemoTag ctx={ctx} />
              </>
            ) : (
              ''
            )}{' '}
            <span safe>{witnessStatusText(ctx, witness)}</span>
          </p>
          <dl>
            <dt safe>{t('transparency.witnesses.field.vkey')}</dt>
            <dd>
              <code class="hash" safe>
                {witness.vkey}
              </code>
            </dd>
          </dl>
          <p class="hint" safe>
            {t('transparency.witnesses.admin.keyNote')}
          </p>
        </>
      ) : (
        <p safe>{t('transparency.witnesses.admin.addHelp')}</p>
      )}
      <ErrorSummary ctx={ctx} errors={errors} labels={labels} />
      <form method="post" action={action} novalidate>
        <CsrfField ctx={ctx} />
        {witness ? (
          ''
        ) : (
          <>
            <TextField ctx={ctx} name="name" label={labels.name!} hint={t('transparency.witnesses.field.nameHint')} values={values} errors={errors} />
            <TextArea ctx={ctx} name="vkey" label={labels.vkey!} hint={t('transparency.witnesses.field.vkeyHint')} values={values} errors={errors} rows={2} />
          </>
        )}
        <TextField ctx={ctx} name="url" type="url" label={labels.url!} hint={t('transparency.witnesses.field.urlHint')} values={values} errors={errors} />
        <TextField ctx={ctx} name="operator" label={labels.operator!} hint={t('transparency.witnesses.field.operatorHint')} values={values} errors={errors} />
        <fieldset>
          <legend safe>{t('transparency.witnesses.field.policy')}</legend>
          <p class="hint" safe>
            {t('transparency.witnesses.field.policyHint')}
          </p>
          {LOCALES.map((locale) => (
            <TextArea ctx={ctx} name={policyField(locale)} label={labels[policyField(locale)]!} values={values} errors={errors} lang={locale} optional rows={3} />
          ))}
        </fieldset>
        <div class="form-actions">
          <button type="submit" safe>
            {witness ? t('transparency.witnesses.admin.save') : t('transparency.witnesses.admin.addSubmit')}
          </button>{' '}
          <a href={base} safe>
            {t('form.cancel')}
          </a>
        </div>
      </form>
      {witness ? (
        <section aria-labelledby="witness-state-title">
          <h2 id="witness-state-title" safe>
            {witness.active ? t('transparency.witnesses.admin.deactivate') : t('transparency.witnesses.admin.reactivate')}
          </h2>
          <p safe>{witness.active ? t('transparency.witnesses.admin.deactivateHelp') : t('transparency.witnesses.admin.reactivateHelp')}</p>
          <form method="post" action={`${base}/${witness.id}/${witness.active ? 'deactivate' : 'reactivate'}`}>
            <CsrfField ctx={ctx} />
            <div class="form-actions">
              <button type="submit" class={witness.active ? 'warning' : undefined} safe>
                {witness.active ? t('transparency.witnesses.admin.deactivate') : t('transparency.witnesses.admin.reactivate')}
              </button>
            </div>
          </form>
        </section>
      ) : (
        ''
      )}
      {witness && Object.keys(witness.policy).length ? (
        <section aria-labelledby="witness-policy-title">
          <h2 id="witness-policy-title" safe>
            {t('transparency.witnesses.field.policy')}
          </h2>
          <Localized ctx={ctx} value={witness.policy} as="p" />
        </section>
      ) : (
        ''
      )}
    </Layout>
  );
}
