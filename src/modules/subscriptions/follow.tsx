import { escapeHtml } from '@kitajs/html';
import type { PageContext } from '../../ui/context.js';
import type { Topic } from './notify.js';

/**
 * The "Follow by e-mail" link a public page shows for its topic: a link to the subscription form
 * (public pages are cached for everyone, so they hold no form with a CSRF token). Imports nothing
 * of other modules, so every page may show it.
 */
export function FollowLink({ ctx, topic }: { ctx: PageContext; topic: Topic }): JSX.Element {
  return (
    <p class="follow-link">
      <a href={`/${ctx.locale}/subscriptions/new?topic=${topic.type}:${topic.id}`}>{escapeHtml(ctx.t('subscriptions.follow'))}</a>
    </p>
  );
}
