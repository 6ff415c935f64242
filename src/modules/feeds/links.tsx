import { escapeHtml } from '@kitajs/html';
import type { PageContext } from '../../ui/context.js';

/**
 * The feed of a page, for the layout's `feeds` (its `<link rel="alternate">`) and for the visible
 * link: a leaf other modules' views import (it imports no module).
 */
export function feedLinksOf(ctx: PageContext, pagePath: string): { href: string; type: string; title: string }[] {
  const path = pagePath === '/' ? '/feed.atom' : `${pagePath}/feed.atom`;
  return [{ href: `/${ctx.locale}${path}`, type: 'application/atom+xml', title: ctx.t('feeds.link') }];
}

/** "Follow new publications in a feed reader: Atom feed", below a page's main content. */
export function FeedLink({ ctx, pagePath }: { ctx: PageContext; pagePath: string }): JSX.Element {
  const [feed] = feedLinksOf(ctx, pagePath);
  return (
    <p class="feed-link">
      {escapeHtml(ctx.t('feeds.link.hint'))}{' '}
      <a href={feed!.href} type="application/atom+xml">
        {escapeHtml(ctx.t('feeds.link'))}
      </a>
    </p>
  );
}
