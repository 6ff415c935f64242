import type { PageContext } from '../../ui/context.js';
import type { Topic } from './notify.js';

// STUB (issue 11, subscriptions helper): the "Follow by e-mail" link a public page shows for its topic
// (pages are cached, so a link to the subscription form rather than a form with a CSRF token).
export function FollowLink(_props: { ctx: PageContext; topic: Topic }): JSX.Element {
  return '';
}
