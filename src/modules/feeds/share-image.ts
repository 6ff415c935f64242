import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { LRUCache } from 'lru-cache';
import type { Executor } from '../../db/database.js';
import { translate, type MessageKey } from '../../i18n/index.js';
import type { Locale } from '../../i18n/locales.js';
import { pickText } from '../../lib/translatable.js';
import { commitmentStatusOn } from '../commitments/domain.js';
import { findCommitmentDetail } from '../commitments/queries.js';

/** The share image's size: what Open Graph and Twitter's large card show without cropping. */
export const SHARE_WIDTH = 1200;
export const SHARE_HEIGHT = 630;

/** The DejaVu fonts shipped with the package (Latin with ë and ç, Cyrillic): no system font is read. */
const fontDir = join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
const FONT_FILES = [join(fontDir, 'DejaVuSans.ttf'), join(fontDir, 'DejaVuSans-Bold.ttf')];

/** What the share image of a commitment shows, in one language. */
export interface ShareCard {
  jurisdiction: string;
  code: string;
  title: string;
  /** 0..1, or null when there is nothing to measure (no milestone). */
  progress: number | null;
  /** The progress in words as the page writes it ("40% complete"), or "None". */
  progressText: string;
  status: string;
  /** "Demonstration data", when it is. */
  demo?: string | undefined;
  progressLabel: string;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/**
 * Words into at most `maxLines` lines of about `width` characters; the last line cut with an
 * ellipsis when the text goes on. A word longer than a line is cut.
 */
export function wrapText(text: string, width: number, maxLines: number, measure: (text: string) => number = (t) => t.length): string[] {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = '';
  let i = 0;
  const cut = (t: string) => {
    let out = t;
    while (out.length > 1 && measure(`${out}…`) > width) out = out.slice(0, -1);
    return `${out.trimEnd()}…`;
  };
  for (; i < words.length; i++) {
    let word = words[i]!;
    if (measure(word) > width) word = cut(word);
    const next = line ? `${line} ${word}` : word;
    if (measure(next) <= width) {
      line = next;
      continue;
    }
    lines.push(line);
    line = word;
    if (lines.length === maxLines) break;
  }
  if (lines.length < maxLines && line) {
    lines.push(line);
    line = '';
  }
  const more = i < words.length || line !== '';
  if (more && lines.length) {
    const last = lines[lines.length - 1]!;
    lines[lines.length - 1] = measure(`${last}…`) > width ? cut(last) : `${last}…`;
  }
  return lines;
}

/**
 * About how wide a text is in DejaVu Sans Bold, in em (rough advance widths by kind of letter,
 * erring wide): enough to wrap a title and size a badge without measuring glyphs.
 */
export function emWidth(text: string): number {
  let em = 0;
  for (const ch of text) {
    if (/[\s.,:;'’!|ilj·]/.test(ch)) em += 0.38;
    else if (/[ftrI()\-]/.test(ch)) em += 0.5;
    else if (/[mwMWшщжмюЖШЩМЮЫы%]/.test(ch)) em += 1.0;
    else if (/[A-ZА-ЯЂЉЊЋЏЈ]/.test(ch)) em += 0.8;
    else if (/[\u0400-\u04ff]/.test(ch)) em += 0.74;
    else em += 0.7;
  }
  return em;
}

/** The card drawn as SVG (every text escaped). */
export function shareSvg(card: ShareCard): string {
  const titleLines = wrapText(card.title, 1040, 3, (t) => emWidth(t) * 56);
  const jurisdiction = wrapText(card.jurisdiction, 1040, 1, (t) => emWidth(t) * 32)[0] ?? '';
  const badge = card.demo ? Math.ceil(emWidth(card.demo) * 28) + 32 : 0;
  const percent = card.progress === null ? 0 : Math.max(0, Math.min(1, card.progress));
  const barX = 80;
  const barY = 470;
  const barW = 1040;
  const title = titleLines.map((line, n) => `<text x="80" y="${250 + n * 66}" font-size="56" font-weight="bold" fill="#1b1f24">${escapeXml(line)}</text>`).join('');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${SHARE_WIDTH}" height="${SHARE_HEIGHT}" viewBox="0 0 ${SHARE_WIDTH} ${SHARE_HEIGHT}" font-family="DejaVu Sans">`,
    `<rect width="${SHARE_WIDTH}" height="${SHARE_HEIGHT}" fill="#ffffff"/>`,
    `<rect width="${SHARE_WIDTH}" height="16" fill="#7a1020"/>`,
    `<text x="80" y="90" font-size="32" fill="#4a5360">${escapeXml(jurisdiction)}</text>`,
    `<text x="80" y="160" font-size="40" font-weight="bold" fill="#7a1020">${escapeXml(card.code)}</text>`,
    card.demo ? `<rect x="${1120 - badge}" y="122" width="${badge}" height="50" rx="6" fill="#8a4b00"/><text x="${1120 - badge / 2}" y="157" font-size="28" font-weight="bold" fill="#ffffff" text-anchor="middle">${escapeXml(card.demo)}</text>` : '',
    title,
    `<text x="${barX}" y="${barY - 24}" font-size="32" fill="#1b1f24"><tspan font-weight="bold">${escapeXml(card.progressLabel)}:</tspan> ${escapeXml(card.progressText)} · ${escapeXml(card.status)}</text>`,
    `<rect x="${barX}" y="${barY}" width="${barW}" height="44" rx="8" fill="#f3f5f7" stroke="#c9d0d8" stroke-width="2"/>`,
    percent > 0 ? `<rect x="${barX}" y="${barY}" width="${Math.max(16, Math.round(barW * percent))}" height="44" rx="8" fill="#1e6b35"/>` : '',
    `<text x="80" y="590" font-size="28" fill="#4a5360">Besa</text>`,
    `</svg>`,
  ].join('');
}

/** The PNG of a card's SVG (resvg with the DejaVu fonts only). */
export function renderPng(svg: string): Buffer {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'width', value: SHARE_WIDTH },
    font: { loadSystemFonts: false, fontFiles: FONT_FILES, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
  });
  return Buffer.from(resvg.render().asPng());
}

/** A commitment's card in one language, as its page shows it on `today`; undefined when there is no such commitment. */
export async function commitmentShareCard(db: Executor, id: number, locale: Locale, today: string): Promise<ShareCard | undefined> {
  const ref = await db
    .selectFrom('commitments')
    .innerJoin('action_plans', 'action_plans.id', 'commitments.action_plan_id')
    .innerJoin('jurisdictions', 'jurisdictions.id', 'action_plans.jurisdiction_id')
    .select(['commitments.code', 'action_plans.slug as plan', 'jurisdictions.slug'])
    .where('commitments.id', '=', id)
    .executeTakeFirst();
  if (!ref) return undefined;
  const c = await findCommitmentDetail(db, ref.slug, ref.plan, ref.code);
  if (!c) return undefined;
  const status = commitmentStatusOn(c.status, c, today);
  return {
    jurisdiction: pickText(c.jurisdiction.name, locale) || ref.slug,
    code: c.code,
    title: pickText(c.title, locale) || c.code,
    progress: c.progress,
    progressText: c.progress === null ? translate(locale, 'ui.none') : translate(locale, 'ui.progress', { percent: c.progress }),
    status: translate(locale, `domain.milestoneStatus.${status}` as MessageKey),
    progressLabel: translate(locale, 'feeds.share.progress'),
    demo: c.milestones.some((m) => m.isDemo) ? translate(locale, 'feeds.share.demo') : undefined,
  };
}

/** PNGs by their SVG's hash: the same drawing is rendered once, whatever else changed. */
const pngs = new LRUCache<string, Buffer>({ max: 500 });

export function sharePng(card: ShareCard): Buffer {
  const svg = shareSvg(card);
  const key = createHash('sha256').update(svg).digest('base64url');
  let png = pngs.get(key);
  if (!png) pngs.set(key, (png = renderPng(svg)));
  return png;
}
