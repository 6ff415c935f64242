import { createHash } from 'node:crypto';
import type { Executor } from '../../db/database.js';
import { parseTranslatable } from '../../lib/translatable.js';
import type { Brand } from '../../ui/brand.js';

/**
 * A jurisdiction's portal header, read by the public pages of every module that belong to a
 * jurisdiction. A second entry besides index.ts, importing nothing of other modules, so that the
 * modules the jurisdiction's home page builds on (plans, commitments, institutions) can show the
 * header without an import circle.
 */

/** Short version tag for addresses: the emblem's hash, or the colour. */
function version(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/**
 * The portal a jurisdiction's public pages show in their header (one query, no image bytes), or
 * undefined when it has none of name, emblem or colour: its pages then keep Besa's header.
 */
export async function findBrand(db: Executor, jurisdictionSlug: string): Promise<Brand | undefined> {
  const row = await db
    .selectFrom('jurisdiction_branding')
    .innerJoin('jurisdictions', 'jurisdictions.id', 'jurisdiction_branding.jurisdiction_id')
    .select(['jurisdictions.slug', 'jurisdictions.name', 'jurisdiction_branding.portal_name', 'jurisdiction_branding.accent_color', 'jurisdiction_branding.emblem_sha256'])
    .where('jurisdictions.slug', '=', jurisdictionSlug)
    .executeTakeFirst();
  if (!row) return undefined;
  const portalName = parseTranslatable(row.portal_name);
  if (!Object.keys(portalName).length && !row.accent_color && !row.emblem_sha256) return undefined;
  const base = `/brand/${encodeURIComponent(row.slug)}`;
  return {
    slug: row.slug,
    portalName,
    jurisdictionName: parseTranslatable(row.name),
    emblemUrl: row.emblem_sha256 ? `${base}/emblem?v=${row.emblem_sha256.slice(0, 16)}` : null,
    stylesheetUrl: row.accent_color ? `${base}/brand.css?v=${version(row.accent_color)}` : null,
  };
}

