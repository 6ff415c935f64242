import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';

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
