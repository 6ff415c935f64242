import type { Locale } from '../i18n/locales.js';
import type { Translate } from '../i18n/index.js';

/** What every page needs to render: the locale, its translator and where the page is. */
export interface PageContext {
  locale: Locale;
  t: Translate;
  /** The page's path after the locale segment, with query string, e.g. `/gjakova?x=1`. */
  path: string;
  /** Signed-in user's display name, on admin pages only. */
  user?: { displayName: string } | undefined;
  /** CSRF token for forms (admin and sign-in pages). */
  csrfToken?: string | undefined;
  /** A one-time message shown at the top of the page. */
  flash?: string | undefined;
}
