import { escapeHtml } from '@kitajs/html';
import type { MessageKey } from '../../i18n/index.js';
import type { FormErrors, FormValues } from '../../lib/forms.js';
import { inFormOrder } from '../../ui/admin.js';
import { Breadcrumbs } from '../../ui/components.js';
import type { PageContext } from '../../ui/context.js';
import { CsrfField, ErrorSummary, Select, TextField } from '../../ui/forms.js';
import { Layout } from '../../ui/layout.js';
import { RECORD_KINDS, type ImportReport, type ReportLine } from './report.js';

/** The import page of the administration: /{locale}/admin/imports (instance administrators). */

export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;

function labels(ctx: PageContext): Record<string, string> {
  return {
    format: ctx.t('interop.field.format'),
    jurisdiction: ctx.t('interop.field.jurisdiction'),
    plan: ctx.t('interop.field.plan'),
    file: ctx.t('interop.field.file'),
  };
}

function ReportLines({ ctx, id, title, lines }: { ctx: PageContext; id: string; title: string; lines: readonly ReportLine[] }): JSX.Element {
  if (lines.length === 0) return <></>;
  const { t } = ctx;
  return (
    <section aria-labelledby={id}>
      <h3 id={id} safe>
        {title}
      </h3>
      <table>
        <thead>
          <tr>
            <th scope="col">{escapeHtml(t('interop.report.row'))}</th>
            <th scope="col">{escapeHtml(t('interop.report.reason'))}</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((l) => (
            <tr>
              <td>{escapeHtml(l.row ? String(l.row) : t('interop.report.file'))}</td>
              <td>
                {escapeHtml(t(`interop.reason.${l.reason}` as MessageKey))}
                {l.detail ? (
                  <>
                    {' '}
                    (<span lang="und" safe>{l.detail}</span>)
                  </>
                ) : (
                  ''
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function ImportReportView({ ctx, report }: { ctx: PageContext; report: ImportReport }): JSX.Element {
  const { t } = ctx;
  const kinds = RECORD_KINDS.filter((k) => report.created[k] + report.updated[k] + report.unchanged[k] > 0);
  return (
    <section aria-labelledby="import-report" class="import-report">
      <h2 id="import-report">{escapeHtml(t('interop.report.title'))}</h2>
      <p>{escapeHtml(t('interop.report.summary', { rows: report.rows, skipped: report.skipped.length }))}</p>
      {kinds.length ? (
        <table>
          <caption>{escapeHtml(t('interop.report.caption'))}</caption>
          <thead>
            <tr>
              <th scope="col">{escapeHtml(t('interop.report.kind'))}</th>
              <th scope="col">{escapeHtml(t('interop.report.created'))}</th>
              <th scope="col">{escapeHtml(t('interop.report.updated'))}</th>
              <th scope="col">{escapeHtml(t('interop.report.unchanged'))}</th>
            </tr>
          </thead>
          <tbody>
            {kinds.map((k) => (
              <tr>
                <th scope="row">{escapeHtml(t(`interop.kind.${k}` as MessageKey))}</th>
                <td>{report.created[k]}</td>
                <td>{report.updated[k]}</td>
                <td>{report.unchanged[k]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        ''
      )}
      <ReportLines ctx={ctx} id="import-skipped" title={t('interop.report.skipped')} lines={report.skipped} />
      <ReportLines ctx={ctx} id="import-warnings" title={t('interop.report.warnings')} lines={report.warnings} />
    </section>
  );
}

export function ImportPage({
  ctx,
  values,
  errors: unordered,
  jurisdictions,
  report,
}: {
  ctx: PageContext;
  values: FormValues;
  errors?: FormErrors | undefined;
  jurisdictions: { slug: string; name: string }[];
  report?: ImportReport | undefined;
}): JSX.Element {
  const { t } = ctx;
  const l = labels(ctx);
  const errors = inFormOrder(unordered, l);
  const title = t('interop.title');
  const action = `/${ctx.locale}/admin/imports`;
  const fileError = errors?.for('file');
  return (
    <Layout ctx={ctx} title={title} admin>
      <Breadcrumbs ctx={ctx} items={[{ href: `/${ctx.locale}/admin`, label: t('ui.nav.admin') }, { label: title }]} />
      <h1 safe>{title}</h1>
      <p>{escapeHtml(t('interop.intro'))}</p>
      {report ? <ImportReportView ctx={ctx} report={report} /> : ''}
      <ErrorSummary ctx={ctx} errors={errors} labels={l} />
      <form method="post" action={action} enctype="multipart/form-data" novalidate>
        <CsrfField ctx={ctx} />
        <Select
          ctx={ctx}
          name="format"
          label={l.format!}
          values={values}
          errors={errors}
          options={[
            { value: 'ogp', label: t('interop.format.ogp') },
            { value: 'decidim', label: t('interop.format.decidim') },
          ]}
        />
        <Select ctx={ctx} name="jurisdiction" label={l.jurisdiction!} hint={t('interop.field.jurisdictionHint')} values={values} errors={errors} optional options={jurisdictions.map((j) => ({ value: j.slug, label: j.name }))} />
        <TextField ctx={ctx} name="plan" label={l.plan!} hint={t('interop.field.planHint')} values={values} errors={errors} optional />
        <div class={fileError ? 'field field-error' : 'field'}>
          <label for="field-file">{escapeHtml(l.file!)}</label>
          <p class="hint" id="hint-file" safe>
            {t('interop.field.fileHint', { mb: Math.round(MAX_IMPORT_BYTES / 1024 / 1024) })}
          </p>
          {fileError ? (
            <p class="error-message" id="error-file" safe>
              {t(fileError.message as MessageKey, fileError.values)}
            </p>
          ) : (
            ''
          )}
          <input type="file" id="field-file" name="file" accept=".csv,text/csv" aria-describedby={fileError ? 'hint-file error-file' : 'hint-file'} aria-invalid={fileError ? 'true' : undefined} />
        </div>
        <div class="form-actions">
          <button type="submit">{escapeHtml(t('interop.submit'))}</button>
        </div>
      </form>
    </Layout>
  );
}
