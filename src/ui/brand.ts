import type { Translatable } from '../lib/translatable.js';

/**
 * A jurisdiction's portal as the layout shows it (modules/jurisdictions/branding.ts reads it):
 * the header carries the portal name (or the jurisdiction's name), the emblem and the accent
 * colour, and Besa moves to the footer. The colour comes in a small stylesheet of its own, since
 * the Content-Security-Policy allows no inline style; both addresses name the version they serve.
 */
export interface Brand {
  /** The jurisdiction's slug: the header links to its home. */
  slug: string;
  /** The portal's name, e.g. "Gjakova Open Government"; empty: the jurisdiction's name is used. */
  portalName: Translatable;
  jurisdictionName: Translatable;
  /** `/brand/{slug}/emblem?v=…`, or null without an emblem. */
  emblemUrl: string | null;
  /** `/brand/{slug}/brand.css?v=…`, or null without an accent colour. */
  stylesheetUrl: string | null;
}
