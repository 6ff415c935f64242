import { escapeHtml } from '@kitajs/html';
import { isLocale, type Locale } from '../../i18n/locales.js';
import type { OutgoingMail } from './outbox.js';

/**
 * Every e-mail Besa sends is written once, as plain text in the recipient's language, and sent
 * as multipart/alternative: that text, and the same words as simple HTML (escaped, `lang` on the
 * document, paragraphs, links made clickable, no image, style sheet or any remote resource).
 */

/** The language to write to a person in: their own (users.locale, invitations.locale), else `otherwise`. */
export function recipientLocale(stored: string | null | undefined, otherwise: Locale): Locale {
  return isLocale(stored) ? stored : otherwise;
}

const URL_IN_TEXT = /https?:\/\/[^\s<>"]*[^\s<>".,;:!?)\]»”’']/g;

/** One line of text as HTML: escaped, web addresses as links. */
function lineToHtml(line: string): string {
  let out = '';
  let last = 0;
  for (const match of line.matchAll(URL_IN_TEXT)) {
    const url = match[0];
    out += escapeHtml(line.slice(last, match.index)) + `<a href="${escapeHtml(url)}">${escapeHtml(url)}</a>`;
    last = match.index + url.length;
  }
  return out + escapeHtml(line.slice(last));
}

/** The HTML part of a message: the text's paragraphs (blank lines) and line breaks, in a small accessible document. */
export function mailHtml(locale: Locale, subject: string, text: string): string {
  const paragraphs = text
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => `<p>${p.split('\n').map(lineToHtml).join('<br>\n')}</p>`);
  return [
    '<!doctype html>',
    `<html lang="${escapeHtml(locale)}" dir="ltr">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(subject)}</title>`,
    '</head>',
    '<body style="margin:0;padding:16px;background:#ffffff;color:#1b1f24;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5">',
    '<div style="max-width:40em">',
    ...paragraphs,
    '</div>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** A message to one person in their language: the plain text and its HTML alternative (and extra headers, if any). */
export function composeMail(
  to: string,
  locale: Locale,
  content: { subject: string; text: string; headers?: Record<string, string> },
): Required<Omit<OutgoingMail, 'headers'>> & Pick<OutgoingMail, 'headers'> {
  return {
    to,
    subject: content.subject,
    text: content.text,
    html: mailHtml(locale, content.subject, content.text),
    ...(content.headers ? { headers: content.headers } : {}),
  };
}
