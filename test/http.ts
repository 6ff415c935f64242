import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import type { DatabaseHandle } from '../src/db/database.js';
import { createFirstAdministrator, createSetupToken } from '../src/modules/accounts/commands.js';

/**
 * Real HTTP against a listening app, for race tests: requests sent with fetch run in parallel
 * through the network stack and the app's connection pool, as a browser's would.
 */
export async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  assert.ok(address && typeof address === 'object', 'the app listens on a TCP port');
  return `http://127.0.0.1:${address.port}`;
}

/** The real app on the database, listening on loopback, with a signed-in instance administrator. */
export async function serveAsAdministrator(database: DatabaseHandle): Promise<{ app: FastifyInstance; base: string; session: string }> {
  const app = await buildApp({ config: loadConfig({ NODE_ENV: 'test' } as NodeJS.ProcessEnv), database });
  const setup = await createSetupToken(database.db);
  const session = await createFirstAdministrator(database.db, setup, { email: 'admin@example.org', displayName: 'Admin', password: 'correct horse battery staple' });
  return { app, base: await listen(app), session };
}

/** The field error shown for text that cannot be stored (lib/forms.ts), in English. */
export const UNSTORABLE_MESSAGE = /contains a character that cannot be stored/;

/** The fields of a form as submitted, with some values changed. */
export function withChanges(fields: [string, string][], changes: Record<string, string>): [string, string][] {
  return fields.map(([name, value]) => [name, name in changes ? changes[name]! : value]);
}

export interface HttpForm {
  token: string;
  /** The Cookie header to send with the form's POST: the session and the CSRF cookie. */
  cookie: string;
}

/** GETs a form page over HTTP and returns its CSRF token with the cookies to post it. */
export async function openHttpForm(base: string, path: string, session: string): Promise<HttpForm> {
  const response = await fetch(base + path, { headers: { cookie: `besa_session=${session}` } });
  const body = await response.text();
  assert.equal(response.status, 200, `GET ${path}: ${response.status}`);
  const token = /name="_csrf" value="([^"]+)"/.exec(body)?.[1];
  const csrf = response.headers.getSetCookie().find((c) => c.startsWith('_csrf='))?.split(';')[0];
  assert.ok(token && csrf, 'the form has a CSRF field and cookie');
  return { token, cookie: `besa_session=${session}; ${csrf}` };
}

/** POSTs urlencoded fields over HTTP (redirects are not followed); returns the status and body. */
export async function postHttpForm(base: string, path: string, form: HttpForm, fields: [string, string][]): Promise<{ status: number; body: string }> {
  const response = await fetch(base + path, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: form.cookie },
    body: new URLSearchParams([['_csrf', form.token], ...fields]).toString(),
  });
  return { status: response.status, body: await response.text() };
}

function unescapeHtml(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39|#x27|#(\d+)|#x([0-9a-f]+));/gi, (whole, name: string, dec?: string, hex?: string) => {
    if (dec) return String.fromCodePoint(Number(dec));
    if (hex) return String.fromCodePoint(parseInt(hex, 16));
    return ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'" } as Record<string, string>)[name.toLowerCase()] ?? whole;
  });
}

function attributes(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(/([\w:-]+)(?:="([^"]*)"|='([^']*)')?/g)) {
    const name = m[1]!.toLowerCase();
    if (!(name in out)) out[name] = unescapeHtml(m[2] ?? m[3] ?? '');
  }
  return out;
}

/**
 * What a browser would submit for the first POST form of a page left unchanged: text inputs,
 * hidden fields, checked boxes and radios, textareas and selected options, in document order.
 * Submit buttons are left out (pass the one pressed yourself).
 */
export function submittedFields(html: string): [string, string][] {
  const form = /<form[^>]*method="post"[^>]*>([\s\S]*?)<\/form>/i.exec(html.replace(/<form[^>]*action="[^"]*\/logout"[^>]*>[\s\S]*?<\/form>/gi, ''))?.[1] ?? '';
  const out: [string, string][] = [];
  for (const m of form.matchAll(/<input\b([^>]*)>|<textarea\b([^>]*)>([\s\S]*?)<\/textarea>|<select\b([^>]*)>([\s\S]*?)<\/select>/gi)) {
    if (m[1] !== undefined) {
      const a = attributes(m[1]);
      const type = (a.type ?? 'text').toLowerCase();
      if (!a.name || 'disabled' in a || ['submit', 'button', 'reset', 'file', 'image'].includes(type)) continue;
      if ((type === 'checkbox' || type === 'radio') && !('checked' in a)) continue;
      out.push([a.name, a.value ?? (type === 'checkbox' || type === 'radio' ? 'on' : '')]);
    } else if (m[2] !== undefined) {
      const a = attributes(m[2]);
      if (a.name && !('disabled' in a)) out.push([a.name, unescapeHtml((m[3] ?? '').replace(/^\r?\n/, ''))]);
    } else if (m[4] !== undefined) {
      const a = attributes(m[4]);
      if (!a.name || 'disabled' in a) continue;
      const options = [...(m[5] ?? '').matchAll(/<option\b([^>]*)>([\s\S]*?)<\/option>/gi)].map((o) => ({ a: attributes(o[1] ?? ''), text: o[2] ?? '' }));
      const chosen = options.find((o) => 'selected' in o.a) ?? options[0];
      if (chosen) out.push([a.name, chosen.a.value ?? unescapeHtml(chosen.text.trim())]);
    }
  }
  return out;
}
