import type { Locale } from '../i18n/locales.js';
import type { Translate } from '../i18n/index.js';
import type { Brand } from './brand.js';

/** What every page needs to render: the locale, its translator and where the page is. */
export interface PageContext {
  locale: Locale;
  t: Translate;
  /** The page's path after the locale segment, with query string, e.g. `/gjakova?x=1`. */
  path: string;
  /**
   * The signed-in user, on admin pages only: their display name, and whether they may open the
   * administration (a person without a role manages only their own account: no link to it).
   */
  user?: { displayName: string; mayAccessAdmin: boolean } | undefined;
  /** CSRF token for forms (admin and sign-in pages). */
  csrfToken?: string | undefined;
  /** A one-time message shown at the top of the page. */
  flash?: string | undefined;
  /** The jurisdiction's portal, on the public pages of a jurisdiction that has one (ui/brand.ts). */
  brand?: Brand | undefined;
  /**
   * Languages of the texts this page shows because they are not yet translated into its own
   * (recorded by Localized and LocalizedLink while the page renders; the layout's FallbackNotice
   * names them once).
   */
  fallbacks?: Set<Locale> | undefined;
  /** The instance's public base URL (no trailing slash): the layout's share metadata links absolutely. */
  publicUrl?: string | undefined;
}
