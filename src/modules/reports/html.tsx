import { escapeHtml } from '@kitajs/html';
import { pickText } from '../../lib/translatable.js';
import { Breadcrumbs, recordFallback } from '../../ui/components.js';
import type { PageContext } from '../../ui/context.js';
import { Layout } from '../../ui/layout.js';
import type { Block, Inline, ReportDocument } from './document.js';
import type { ReportModel } from './model.js';

/**
 * The printable page of a report: the same blocks as the PDF and the DOCX, inside the site's
 * layout (whose navigation, header and footer the print stylesheet leaves out), with links to
 * the two files.
 */

function Text({ ctx, inline }: { ctx: PageContext; inline: Inline }): JSX.Element {
  if (inline.lang) recordFallback(ctx, inline.lang);
  const cls = inline.missing ? 'missing' : inline.lang ? 'fallback' : undefined;
  if (inline.href) {
    return (
      <a href={inline.href} lang={inline.lang} class={cls} safe>
        {inline.text}
      </a>
    );
  }
  if (!inline.lang && !cls) return <>{escapeHtml(inline.text)}</>;
  return (
    <span lang={inline.lang} class={cls} safe>
      {inline.text}
    </span>
  );
}

function Lines({ ctx, inline }: { ctx: PageContext; inline: Inline }): JSX.Element {
  if (!inline.text.includes('\n') || inline.href) return <Text ctx={ctx} inline={inline} />;
  const lines = inline.text.split('\n');
  return (
    <>
      {lines.map((line, i) => (
        <>
          {i > 0 ? <br /> : ''}
          <Text ctx={ctx} inline={{ ...inline, text: line }} />
        </>
      ))}
    </>
  );
}

function BlockView({ ctx, block }: { ctx: PageContext; block: Block }): JSX.Element {
  switch (block.kind) {
    case 'heading': {
      const Tag = `h${block.level}` as 'h1';
      return (
        <Tag>
          <Text ctx={ctx} inline={block.text} />
        </Tag>
      );
    }
    case 'paragraph':
      return (
        <p class={block.notice ? 'notice report-notice' : undefined}>
          <Lines ctx={ctx} inline={block.text} />
        </p>
      );
    case 'facts':
      return (
        <dl class="facts">
          {block.rows.map((row) => (
            <>
              <dt safe>{row.label}</dt>
              <dd>
                {row.value.map((v, i) => (
                  <>
                    {i > 0 ? ', ' : ''}
                    <Text ctx={ctx} inline={v} />
                  </>
                ))}
              </dd>
            </>
          ))}
        </dl>
      );
    case 'list':
      return (
        <ul>
          {block.items.map((item) => (
            <li>
              <Text ctx={ctx} inline={item} />
            </li>
          ))}
        </ul>
      );
    case 'table':
      return (
        <div class="table-scroll">
          <table class="stacked report-table">
            <caption safe>{block.caption}</caption>
            <thead>
              <tr>
                {block.head.map((h) => (
                  <th scope="col" safe>
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {block.rows.map((row) => (
                <tr>
                  {row.map((cell, i) => (
                    <td data-label={block.head[i]}>
                      <Lines ctx={ctx} inline={cell} />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      );
  }
}

export function ReportPage({ ctx, model, report, path, files }: { ctx: PageContext; model: ReportModel; report: ReportDocument; path: string; files: boolean }): JSX.Element {
  const { t, locale } = ctx;
  const { plan } = model;
  const planHref = `/${locale}/${plan.jurisdiction.slug}/plans/${plan.slug}`;
  const crumbs = [
    { href: `/${locale}/`, label: t('ui.nav.home') },
    { href: `/${locale}/${plan.jurisdiction.slug}`, label: pickText(plan.jurisdiction.name, locale) },
    { href: planHref, label: pickText(plan.title, locale) },
  ];
  if (model.kind === 'commitment') crumbs.push({ href: `${planHref}/commitments/${model.commitment.detail.code}`, label: model.commitment.detail.code });
  const [first, ...rest] = report.blocks;
  return (
    <Layout ctx={ctx} title={report.title} demo={report.isDemo}>
      <Breadcrumbs ctx={ctx} items={[...crumbs, { label: t(model.kind === 'plan' ? 'reports.plan' : model.kind === 'monitoring' ? 'reports.monitoring' : 'reports.commitment') }]} />
      <article class="report">
        {first ? <BlockView ctx={ctx} block={first} /> : ''}
        {files ? (
          <nav class="report-files" aria-label={t('reports.formats')}>
            <ul class="inline-list">
              <li>
                <a href={`${path}.pdf`} type="application/pdf">
                  {escapeHtml(t('reports.formats.pdf'))}
                </a>
              </li>
              <li>
                <a href={`${path}.docx`} type="application/vnd.openxmlformats-officedocument.wordprocessingml.document" download={`${report.fileName}.docx`}>
                  {escapeHtml(t('reports.formats.docx'))}
                </a>
              </li>
            </ul>
            <p class="hint">{escapeHtml(t('reports.print'))}</p>
          </nav>
        ) : (
          ''
        )}
        {rest.map((block) => (
          <BlockView ctx={ctx} block={block} />
        ))}
      </article>
    </Layout>
  );
}
