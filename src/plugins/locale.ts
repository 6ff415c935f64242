import type { FastifyReply, FastifyRequest } from 'fastify';
import { translator } from '../i18n/index.js';
import { isLocale, negotiateLocale, type Locale } from '../i18n/locales.js';
import type { PageContext } from '../ui/context.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The instance's public base URL, for the absolute links of share metadata (set by modules/feeds). */
    publicUrl?: string | undefined;
  }
}

/** The locale of a request: the first path segment when it is one, else Accept-Language. */
export function requestLocale(request: FastifyRequest): Locale {
  const first = request.url.split('?')[0]?.split('/')[1];
  if (first && isLocale(first)) return first;
  return negotiateLocale(request.headers['accept-language']);
}

/** The page's path after the locale segment, kept with its query string for the language switcher. */
export function pathAfterLocale(url: string): string {
  const match = /^\/[^/?]+(\/[^?]*)?(\?.*)?$/.exec(url);
  const path = match?.[1] || '/';
  return path + (match?.[2] ?? '');
}

export function pageContext(request: FastifyRequest, extra: Partial<PageContext> = {}): PageContext {
  const locale = requestLocale(request);
  const url = request.url;
  const first = url.split('?')[0]?.split('/')[1];
  return {
    locale,
    t: translator(locale),
    path: first && isLocale(first) ? pathAfterLocale(url) : '/',
    publicUrl: request.server?.publicUrl,
    ...extra,
  };
}

export function sendHtml(reply: FastifyReply, html: string | Promise<string>, status = 200): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').send(html);
}
