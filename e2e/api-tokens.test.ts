/**
 * API tokens in a browser (issue 12, API part): a signed-in person makes a token on their account
 * page (shown once, with a warning), sees it listed, revokes it after a confirmation page, and the
 * revoked token no longer works on the write API; axe-core and html-validate on each page (English
 * and Serbian Cyrillic). The /api page in every locale is in public-page-list.ts.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, BrowserContext } from 'playwright-core';
import { createFirstAdministrator, createSetupToken } from '../src/modules/accounts/commands.js';
import { assertNoProblems, checkPage, launchBrowser, newContext } from './browser.js';
import { fillForm, navigation, submitForm } from './forms.js';
import { startServer, type TestServer } from './server.js';

let server: TestServer;
let browser: Browser;
let session: string;
const contexts: BrowserContext[] = [];

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  const setup = await createSetupToken(server.db);
  session = await createFirstAdministrator(server.db, setup, { email: 'admin@example.org', displayName: 'Arta Krasniqi', password: 'correct horse battery staple' });
});

after(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await server?.close();
});

for (const L of ['en', 'sr-Cyrl'] as const) {
  test(`[${L}] the account page makes a token, shows it once, lists it and revokes it after a confirmation`, async () => {
    const c = await newContext(browser);
    contexts.push(c);
    await c.addCookies([{ name: 'besa_session', value: session, url: server.url }]);
    const p = await c.newPage();
    const problems: string[] = [];
    const account = `/${L}/admin/account`;
    const opened = await navigation(p, () => p.goto(server.url + account));
    assert.equal(opened.status(), 200);
    problems.push(...(await checkPage(p, await opened.text(), `${account}`)));

    // Refused: no name; the date typed is kept.
    await fillForm(p, { token_name: '', token_expires: '2001-01-01' });
    const refused = await submitForm(p, 'token_name');
    assert.equal(refused.status(), 422);
    assert.equal(await p.locator('[name="token_expires"]').inputValue(), '2001-01-01');
    problems.push(...(await checkPage(p, await refused.text(), `${account} token form with errors`)));

    const name = `Directorate system ${L}`;
    await fillForm(p, { token_name: name, token_expires: '' });
    const made = await submitForm(p, 'token_name');
    assert.equal(made.status(), 200);
    const token = (await p.locator('#new-api-token-value').textContent())?.trim() ?? '';
    assert.match(token, /^besa_[A-Za-z0-9_-]{43}$/);
    assert.equal(await p.locator('#new-api-token[role="alert"]').count(), 1, 'shown with a warning');
    problems.push(...(await checkPage(p, await made.text(), `${account} new token`)));

    // It works on the write API (a draft on a commitment the administrator may report on; no open cycle names one: 422, not 401).
    const works = await fetch(`${server.url}/api/v1/commitments/1/updates`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ language: 'en', items: [] }) });
    assert.notEqual(works.status, 401);

    const again = await navigation(p, () => p.goto(server.url + account));
    assert.ok(!(await again.text()).includes(token), 'never shown again');
    const row = p.locator('main table tr', { hasText: name });
    assert.equal(await row.count(), 1, 'listed by name');

    const ask = await navigation(p, () => row.locator('button[type="submit"]').click());
    assert.equal(ask.status(), 200);
    problems.push(...(await checkPage(p, await ask.text(), 'the revoke confirmation')));
    const done = await navigation(p, () => p.locator('main form button[type="submit"]').first().click());
    assert.equal(done.status(), 200);
    assert.equal(new URL(p.url()).pathname, account);
    assert.equal(await p.locator('main table tr', { hasText: name }).count(), 0, 'no longer listed');
    problems.push(...(await checkPage(p, await done.text(), `${account} after revoking`)));

    const refusedNow = await fetch(`${server.url}/api/v1/commitments/1/updates`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ language: 'en', items: [] }) });
    assert.equal(refusedNow.status, 401, 'the revoked token is refused');
    assertNoProblems(problems);
  });
}
