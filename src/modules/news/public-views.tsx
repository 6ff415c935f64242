import { escapeHtml } from '@kitajs/html';
import { formatDate, formatDateTime } from '../../i18n/index.js';
import { pick, pickText, type Translatable } from '../../lib/translatable.js';
import { Breadcrumbs, DemoTag, Localized, recordFallback } from '../../ui/components.js';
import type { PageContext } from '../../ui/context.js';
import { Layout } from '../../ui/layout.js';
import type { NewsItemView, NewsJurisdiction } from './queries.js';

/** The public pages of news: a jurisdiction's list and one item. */

const URL_PATTERN = /(https?:\/\/[^\s<>"]+[^\s<>".,;:!?)])/;

/** One line of plain text with its web addresses as links (every other character escaped). */
function linkedLine(line: string): string {
  return line
    .split(URL_PATTERN)
    .map((part, i) => (i % 2 === 1 ? `<a href="${escapeHtml(part)}">${escapeHtml(part)}</a>` : escapeHtml(part)))
    .join('');
}

/**
 * An item's body: plain text, blank lines between paragraphs, blocks of lines starting with "- "
 * as lists, web addresses as links. Shown in the page's language or its fallback, marked as such.
 */
export function NewsBody({ ctx, body }: { ctx: PageContext; body: Translatable }): JSX.Element {
  const picked = pick(body, ctx.locale);
  if (!picked) return <></>;
  if (picked.fallback) recordFallback(ctx, picked.lang);
  const blocks = picked.text
    .split(/\n\s*\n/)
    .map((b) => b.trim())
    .filter(Boolean);
  const safeHtml = blocks
    .map((block) => {
      const lines = block.split('\n').map((l) => l.trim());
      if (lines.every((l) => /^[•\-*]\s/.test(l))) return `<ul>${lines.map((l) => `<li>${linkedLine(l.replace(/^[•\-*]\s+/, ''))}</li>`).join('')}</ul>`;
      return `<p>${lines.map(linkedLine).join('<br>')}</p>`;
    })
    .join('');
  return (
    <div class={picked.fallback ? 'news-body fallback' : 'news-body'} lang={picked.fallback ? picked.lang : undefined}>
      {safeHtml}
    </div>
  );
}

function jurisdictionName(ctx: PageContext, j: NewsJurisdiction): string {
  return pickText(j.name, ctx.locale) || j.slug;
}

function KindTag({ ctx, kind }: { ctx: PageContext; kind: string }): JSX.Element {
  if (kind !== 'press_release') return <></>;
  return <span class="tag tag-press-release">{escapeHtml(ctx.t('news.kind.press_release'))}</span>;
}

function FeedLink({ ctx, href }: { ctx: PageContext; href: string }): JSX.Element {
  return (
    <p class="feed-link">
      <a href={href} type="application/atom+xml" safe>
        {ctx.t('news.feed.link')}
      </a>{' '}
      <span class="hint" safe>
        {ctx.t('news.feed.hint')}
      </span>
    </p>
  );
}

function Period({ ctx, item }: { ctx: PageContext; item: NewsItemView }): JSX.Element {
  if (!item.periodFrom || !item.periodTo) return <></>;
  return <span safe>{ctx.t('news.period', { from: formatDate(ctx.locale, item.periodFrom), to: formatDate(ctx.locale, item.periodTo) })}</span>;
}

/** `/{locale}/{jurisdiction}/news`: published items, newest first, ten a page. */
export function NewsListPage({ ctx, jurisdiction, items, page, pages }: { ctx: PageContext; jurisdiction: NewsJurisdiction; items: NewsItemView[]; page: number; pages: number }): JSX.Element {
  const { t, locale } = ctx;
  const base = `/${locale}/${jurisdiction.slug}`;
  const title = t('news.list.title');
  const feed = `${base}/news.atom`;
  const feedTitle = t('news.feed.title', { jurisdiction: jurisdictionName(ctx, jurisdiction) });
  return (
    <Layout ctx={ctx} title={pages > 1 ? t('news.list.titlePage', { page, pages }) : title} demo={items.some((i) => i.isDemo)} feeds={[{ href: feed, type: 'application/atom+xml', title: feedTitle }]}>
      <Breadcrumbs
        ctx={ctx}
        items={[
          { href: `/${locale}/`, label: t('ui.nav.home') },
          { href: base, label: jurisdictionName(ctx, jurisdiction) },
          { label: title },
        ]}
      />
      <h1 safe>{title}</h1>
      <FeedLink ctx={ctx} href={feed} />
      {items.length === 0 ? (
        <p safe>{t('news.list.none')}</p>
      ) : (
        <ol class="news-list">
          {items.map((i) => (
            <li>
              <article aria-labelledby={`news-${i.id}`}>
                <h2 id={`news-${i.id}`}>
                  <a href={`${base}/news/${i.id}`}>
                    <Localized ctx={ctx} value={i.title} />
                  </a>
                </h2>
                <p class="meta">
                  <KindTag ctx={ctx} kind={i.kind} /> {i.isDemo ? <DemoTag ctx={ctx} /> : ''}{' '}
                  <time datetime={i.publishedAt ?? ''} safe>
                    {formatDate(locale, i.publishedAt ?? '', 'long', jurisdiction.timeZone)}
                  </time>
                </p>
                {pick(i.summary, locale) ? <Localized ctx={ctx} value={i.summary} as="p" /> : ''}
              </article>
            </li>
          ))}
        </ol>
      )}
      {pages > 1 ? (
        <nav class="pagination" aria-label={t('news.list.pages')}>
          <ul>
            {page > 1 ? (
              <li>
                <a href={page === 2 ? `${base}/news` : `${base}/news?page=${page - 1}`} rel="prev" safe>
                  {t('news.list.newer')}
                </a>
              </li>
            ) : (
              ''
            )}
            <li aria-current="page" safe>
              {t('news.list.pageOf', { page, pages })}
            </li>
            {page < pages ? (
              <li>
                <a href={`${base}/news?page=${page + 1}`} rel="next" safe>
                  {t('news.list.older')}
                </a>
              </li>
            ) : (
              ''
            )}
          </ul>
        </nav>
      ) : (
        ''
      )}
    </Layout>
  );
}

/** `/{locale}/{jurisdiction}/news/{id}`: the item (or, withdrawn, the notice that it was). */
export function NewsItemPage({ ctx, jurisdiction, item }: { ctx: PageContext; jurisdiction: NewsJurisdiction; item: NewsItemView }): JSX.Element {
  const { t, locale } = ctx;
  const base = `/${locale}/${jurisdiction.slug}`;
  const title = pickText(item.title, locale) || t('news.untitled');
  const withdrawn = item.status === 'withdrawn';
  return (
    <Layout ctx={ctx} title={title} demo={item.isDemo}>
      <Breadcrumbs
        ctx={ctx}
        items={[
          { href: `/${locale}/`, label: t('ui.nav.home') },
          { href: base, label: jurisdictionName(ctx, jurisdiction) },
          { href: `${base}/news`, label: t('news.list.title') },
          { label: title },
        ]}
      />
      <article class="news-item">
        <Localized ctx={ctx} value={item.title} as="h1" />
        <p class="meta">
          <KindTag ctx={ctx} kind={item.kind} /> {item.isDemo ? <DemoTag ctx={ctx} /> : ''}
        </p>
        <dl class="facts">
          {item.publishedAt ? (
            <>
              <dt safe>{t('news.field.published')}</dt>
              <dd>
                <time datetime={item.publishedAt} safe>
                  {formatDateTime(locale, item.publishedAt, jurisdiction.timeZone)}
                </time>
              </dd>
            </>
          ) : (
            ''
          )}
          {item.correctedAt ? (
            <>
              <dt safe>{t('news.field.corrected')}</dt>
              <dd>
                <time datetime={item.correctedAt} safe>
                  {formatDateTime(locale, item.correctedAt, jurisdiction.timeZone)}
                </time>
              </dd>
            </>
          ) : (
            ''
          )}
          {item.periodFrom && item.periodTo ? (
            <>
              <dt safe>{t('news.field.period')}</dt>
              <dd>
                <Period ctx={ctx} item={item} />
              </dd>
            </>
          ) : (
            ''
          )}
        </dl>
        {withdrawn ? (
          <p class="notice" safe>
            {t('news.item.withdrawn', { date: formatDateTime(locale, item.withdrawnAt ?? '', jurisdiction.timeZone) })}
          </p>
        ) : (
          <>
            {pick(item.summary, locale) ? <Localized ctx={ctx} value={item.summary} as="p" class="lead" /> : ''}
            <NewsBody ctx={ctx} body={item.body} />
          </>
        )}
        <p>
          <a href={`/${locale}/history/news/${item.id}`} safe>
            {t('news.item.history')}
          </a>
        </p>
      </article>
    </Layout>
  );
}
