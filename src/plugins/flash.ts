import type { FastifyReply, FastifyRequest } from 'fastify';
import type { MessageKey } from '../i18n/index.js';

const COOKIE = 'besa_flash';

/**
 * Remembers a one-time message (a message key) for the page the redirect leads to. `secure` comes
 * from the cookie plugin's defaults (app.ts): Secure with an https public address.
 */
export function setFlash(reply: FastifyReply, key: MessageKey): void {
  reply.setCookie(COOKIE, key, { path: '/', httpOnly: true, sameSite: 'lax', maxAge: 60 });
}

export function takeFlash(request: FastifyRequest, reply: FastifyReply): MessageKey | undefined {
  const key = request.cookies[COOKIE];
  if (!key) return undefined;
  reply.clearCookie(COOKIE, { path: '/' });
  return /^[a-zA-Z0-9.]+$/.test(key) ? (key as MessageKey) : undefined;
}
