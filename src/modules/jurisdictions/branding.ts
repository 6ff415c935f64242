import { createHash } from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type';
import { imageSize } from 'image-size';
import type { Db, Executor } from '../../db/database.js';
import type { Locale } from '../../i18n/locales.js';
import { parseTranslatable, serializeTranslatable, withLocaleText, type Translatable } from '../../lib/translatable.js';
import { canManageContent } from '../accounts/index.js';
import { authorize, runCommand, type Actor } from '../audit/index.js';

/**
 * A jurisdiction's portal: its name, emblem and accent colour (table jurisdiction_branding).
 * Branding is presentation, not a fact of the plan: it is recorded in the audit trail
 * (audit.record) but not published to the transparency log, whose entries are the plan's public
 * record; a new emblem is no promise to verify. Edited by the jurisdiction's administrators.
 */

/** The largest emblem accepted: a header image, not a poster. */
export const MAX_EMBLEM_BYTES = 256 * 1024;
/**
 * The largest emblem side in pixels: a few hundred kilobytes of PNG or WebP can declare a picture of
 * 30,000 × 30,000 pixels that every visitor's browser would decode on every page of the portal.
 */
export const MAX_EMBLEM_PIXELS = 1024;

/** Raster images only, recognised by their content: no SVG (it can carry script). */
export const EMBLEM_TYPES: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp' };

const HEX_COLOUR = /^#[0-9a-f]{6}$/;

/** `#RRGGBB` or `rrggbb` typed by a person, as stored (`#rrggbb`), or null when it is no such colour. */
export function normalizeColour(text: string): string | null {
  const trimmed = text.trim().toLowerCase();
  const withHash = trimmed.startsWith('#') ? trimmed : `#${trimmed}`;
  return HEX_COLOUR.test(withHash) ? withHash : null;
}

function channel(hex: string): number {
  const c = parseInt(hex, 16) / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

/** WCAG 2 contrast ratio of white text on a `#rrggbb` background (1 to 21). */
export function contrastWithWhite(colour: string): number {
  const l = 0.2126 * channel(colour.slice(1, 3)) + 0.7152 * channel(colour.slice(3, 5)) + 0.0722 * channel(colour.slice(5, 7));
  return 1.05 / (l + 0.05);
}

/** White text on the accent colour must reach WCAG AA for normal text. */
export const MIN_CONTRAST = 4.5;

export type EmblemCheck = { ok: true; contentType: string } | { ok: false; reason: 'empty' | 'tooLarge' | 'type' | 'dimensions' };

/** An emblem is accepted by what its bytes are (file-type), never by its name or declared type. */
export async function checkEmblem(content: Buffer, truncated = false): Promise<EmblemCheck> {
  if (truncated || content.length > MAX_EMBLEM_BYTES) return { ok: false, reason: 'tooLarge' };
  if (content.length === 0) return { ok: false, reason: 'empty' };
  const detected = await fileTypeFromBuffer(content);
  if (!detected || !EMBLEM_TYPES[detected.mime]) return { ok: false, reason: 'type' };
  let size: { width: number; height: number };
  try {
    size = imageSize(content);
  } catch {
    return { ok: false, reason: 'type' };
  }
  if (!(size.width > 0 && size.height > 0)) return { ok: false, reason: 'type' };
  if (size.width > MAX_EMBLEM_PIXELS || size.height > MAX_EMBLEM_PIXELS) return { ok: false, reason: 'dimensions' };
  return { ok: true, contentType: detected.mime };
}

export type BrandingField = 'portal_name' | 'accent_color' | 'emblem';

/** A branding value the command refuses (the form reports it beside its field). */
export class BrandingInputError extends Error {
  constructor(
    readonly field: BrandingField,
    readonly reason: string,
  ) {
    super(`Branding refused: ${field} (${reason})`);
  }
}

export interface BrandingInput {
  jurisdictionId: number;
  /** The language the portal name is written in; other languages' names are kept. */
  contentLocale: Locale;
  portalName: string;
  /** `#rrggbb` (or as typed: normalised here); empty or null: Besa's own colours. */
  accentColor: string | null;
  /** A new emblem; undefined keeps the current one. */
  emblem?: { content: Buffer; truncated?: boolean } | undefined;
  /** Removes the current emblem (ignored when a new one is given). */
  removeEmblem?: boolean;
}

export interface BrandingRow {
  portalName: Translatable;
  accentColor: string | null;
  emblemType: string | null;
  emblemSha256: string | null;
  emblemSize: number | null;
}

/** The colour as stored, or the reason it is refused. */
export function checkColour(text: string | null): { ok: true; colour: string | null } | { ok: false; reason: 'format' | 'contrast'; ratio?: number } {
  if (!text || !text.trim()) return { ok: true, colour: null };
  const colour = normalizeColour(text);
  if (!colour) return { ok: false, reason: 'format' };
  const ratio = contrastWithWhite(colour);
  if (ratio < MIN_CONTRAST) return { ok: false, reason: 'contrast', ratio };
  return { ok: true, colour };
}

/** Sets a jurisdiction's portal name (in one language), accent colour and emblem. */
export async function updateJurisdictionBranding(db: Db, actor: Actor, input: BrandingInput): Promise<void> {
  // Checked before the transaction: reading an image's type is no work to hold a write lock for.
  const colour = checkColour(input.accentColor);
  if (!colour.ok) throw new BrandingInputError('accent_color', colour.reason);
  if (input.portalName.length > 120) throw new BrandingInputError('portal_name', 'tooLong');
  let emblem: { content: Buffer; contentType: string; sha256: string } | undefined;
  if (input.emblem) {
    const checked = await checkEmblem(input.emblem.content, input.emblem.truncated);
    if (!checked.ok) throw new BrandingInputError('emblem', checked.reason);
    emblem = { content: input.emblem.content, contentType: checked.contentType, sha256: createHash('sha256').update(input.emblem.content).digest('hex') };
  }
  await runCommand(db, actor, async (trx, audit) => {
    authorize(actor, (user) => canManageContent(user, input.jurisdictionId));
    const exists = await trx.selectFrom('jurisdictions').select('id').where('id', '=', input.jurisdictionId).executeTakeFirst();
    if (!exists) throw new Error(`No jurisdiction ${input.jurisdictionId}`);
    const current = await trx
      .selectFrom('jurisdiction_branding')
      .select(['portal_name', 'accent_color', 'emblem_sha256'])
      .where('jurisdiction_id', '=', input.jurisdictionId)
      .executeTakeFirst();
    const portalName = serializeTranslatable(withLocaleText(parseTranslatable(current?.portal_name), input.contentLocale, input.portalName.trim()));
    const emblemValues = emblem
      ? { emblem: emblem.content, emblem_type: emblem.contentType, emblem_sha256: emblem.sha256 }
      : input.removeEmblem
        ? { emblem: null, emblem_type: null, emblem_sha256: null }
        : {};
    const values = { portal_name: portalName, accent_color: colour.colour, ...emblemValues, updated_at: new Date().toISOString() };
    if (current) await trx.updateTable('jurisdiction_branding').set(values).where('jurisdiction_id', '=', input.jurisdictionId).execute();
    else await trx.insertInto('jurisdiction_branding').values({ jurisdiction_id: input.jurisdictionId, ...values }).execute();
    await audit.record('jurisdiction.branding_updated', 'jurisdiction', input.jurisdictionId, {
      locale: input.contentLocale,
      portalName: input.portalName.trim(),
      accentColor: colour.colour,
      emblem: emblem ? { type: emblem.contentType, sha256: emblem.sha256, bytes: emblem.content.length } : input.removeEmblem ? 'removed' : 'unchanged',
      previousAccentColor: current?.accent_color ?? null,
      previousEmblemSha256: current?.emblem_sha256 ?? null,
    });
  });
}

/** A jurisdiction's branding for its admin page (no image bytes). */
export async function findBranding(db: Executor, jurisdictionId: number): Promise<BrandingRow | undefined> {
  const row = await db
    .selectFrom('jurisdiction_branding')
    .select((eb) => ['portal_name', 'accent_color', 'emblem_type', 'emblem_sha256', eb.fn('length', ['emblem']).as('emblem_size')])
    .where('jurisdiction_id', '=', jurisdictionId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    portalName: parseTranslatable(row.portal_name),
    accentColor: row.accent_color,
    emblemType: row.emblem_type,
    emblemSha256: row.emblem_sha256,
    emblemSize: row.emblem_size === null ? null : Number(row.emblem_size),
  };
}

export { findBrand } from './brand.js';

/** The emblem's bytes and type, for its route. */
export async function findEmblem(db: Executor, jurisdictionSlug: string): Promise<{ content: Buffer; contentType: string; sha256: string } | undefined> {
  const row = await db
    .selectFrom('jurisdiction_branding')
    .innerJoin('jurisdictions', 'jurisdictions.id', 'jurisdiction_branding.jurisdiction_id')
    .select(['jurisdiction_branding.emblem', 'jurisdiction_branding.emblem_type', 'jurisdiction_branding.emblem_sha256'])
    .where('jurisdictions.slug', '=', jurisdictionSlug)
    .executeTakeFirst();
  if (!row?.emblem || !row.emblem_type || !row.emblem_sha256) return undefined;
  return { content: Buffer.isBuffer(row.emblem) ? row.emblem : Buffer.from(row.emblem), contentType: row.emblem_type, sha256: row.emblem_sha256 };
}

/** The accent colour, for the brand stylesheet. */
export async function findAccentColour(db: Executor, jurisdictionSlug: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('jurisdiction_branding')
    .innerJoin('jurisdictions', 'jurisdictions.id', 'jurisdiction_branding.jurisdiction_id')
    .select('jurisdiction_branding.accent_color')
    .where('jurisdictions.slug', '=', jurisdictionSlug)
    .executeTakeFirst();
  return row?.accent_color ?? undefined;
}

/**
 * The brand stylesheet: only custom properties, from a colour checked against HEX_COLOUR when it
 * was stored (and again here), so nothing typed reaches CSS. The main stylesheet uses them.
 */
export function brandStylesheet(colour: string): string {
  const safe = normalizeColour(colour) ?? '#000000';
  return `/* The portal's accent colour (white text on it: contrast ${contrastWithWhite(safe).toFixed(1)}:1). */\n:root {\n  --brand-accent: ${safe};\n}\n`;
}
