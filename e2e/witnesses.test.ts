/**
 * Witnesses in the browser (issue 14), on the seeded Gjakova plan with its demonstration data (three
 * demonstration witnesses that cosigned the latest checkpoint, quorum 2): the instance administrator
 * adds a witness with the keyboard only (a refused key first: 422, the error summary focused, what
 * was typed kept), sets the quorum, and the transparency page shows the witnesses and their
 * cosignatures in every locale. Every page visited passes axe-core and html-validate.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { formatVkey, rawEd25519PublicKey, SIGNATURE_COSIGNATURE_V1 } from '../src/lib/tlog/note.js';
import { insertSession } from '../src/modules/accounts/index.js';
import { translate } from '../src/i18n/index.js';
import { assertNoProblems, checkPage, launchBrowser, LOCALES, newContext } from './browser.js';
import { navigation } from './forms.js';
import { startServer, type TestServer } from './server.js';

const ADMIN = '/en/admin/witnesses';
const NAME = 'witness.e2e.example.org/besa';

let server: TestServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
let admin: Page;
let visitor: Page;
const problems: string[] = [];

before(async () => {
  server = await startServer();
  const user = await server.db
    .insertInto('users')
    .values({ email: 'admin@besa.example.org', display_name: 'Instance administrator', password_hash: 'x', created_at: new Date().toISOString() } as never)
    .returning('id')
    .executeTakeFirstOrThrow();
  await server.db.insertInto('user_roles').values({ user_id: user.id, role: 'administrator', jurisdiction_id: null, institution_id: null }).execute();
  browser = await launchBrowser();
  const c1 = await newContext(browser);
  const c2 = await newContext(browser);
  contexts.push(c1, c2);
  await c1.addCookies([{ name: 'besa_session', value: await insertSession(server.db, user.id), url: server.url }]);
  admin = await c1.newPage();
  visitor = await c2.newPage();
});

after(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await server?.close();
});

async function open(page: Page, path: string, status = 200): Promise<string> {
  const response = await navigation(page, () => page.goto(server.url + path));
  assert.equal(response.status(), status, `GET ${path}`);
  const html = await response.text();
  problems.push(...(await checkPage(page, html, path)));
  return html;
}

/** Types into a field reached with Tab from the one before (the keyboard only). */
async function typeInto(page: Page, selector: string, text: string): Promise<void> {
  await page.focus(selector);
  await page.keyboard.press('Control+A');
  await page.keyboard.type(text);
}

test('the instance administrator adds a witness with the keyboard; a wrong key is refused with the input kept', async () => {
  const list = await open(admin, ADMIN);
  assert.match(list, /witness\.demo\.besa\.invalid\/civic-forum/, 'the demonstration witnesses are listed');
  // The link to the form takes the keyboard focus.
  await admin.focus(`a[href="${ADMIN}/new"]`);
  assert.equal(await admin.evaluate(() => (globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null } | null } }).document.activeElement?.getAttribute('href') ?? null), `${ADMIN}/new`);
  await open(admin, `${ADMIN}/new`);

  const { privateKey } = generateKeyPairSync('ed25519');
  const vkey = formatVkey(NAME, SIGNATURE_COSIGNATURE_V1, rawEd25519PublicKey(privateKey));
  await typeInto(admin, '#field-name', NAME);
  await typeInto(admin, '#field-vkey', vkey.replace(NAME, 'someone.else.example.org/x'));
  await typeInto(admin, '#field-url', 'https://witness.e2e.example.org/');
  await typeInto(admin, '#field-operator', 'E2E Civic Association');
  await typeInto(admin, '#field-policy_en', 'Keeps every checkpoint.');
  // Enter in a one-line field submits the form.
  await admin.focus('#field-operator');
  const refused = await navigation(admin, () => admin.keyboard.press('Enter'));
  assert.equal(refused.status(), 422);
  const refusedHtml = await refused.text();
  problems.push(...(await checkPage(admin, refusedHtml, 'the refused witness form')));
  assert.match(refusedHtml, /This is not a verifier key|The key belongs to/);
  assert.ok(refusedHtml.includes('E2E Civic Association') && refusedHtml.includes('Keeps every checkpoint.'), 'what was typed is kept');
  // The error summary is focused (besa.js), its link leads to the field.
  await admin.waitForFunction(() => (globalThis as unknown as { document: { activeElement: { className: string } | null } }).document.activeElement?.className.includes('error-summary') ?? false);

  await typeInto(admin, '#field-vkey', vkey);
  await admin.focus('#field-url');
  const added = await navigation(admin, () => admin.keyboard.press('Enter'));
  assert.equal(added.status(), 200, 'redirected to the list');
  const addedHtml = await added.text();
  problems.push(...(await checkPage(admin, addedHtml, 'the list after adding')));
  assert.ok(addedHtml.includes(vkey), 'the new witness is listed with its key');

  // The quorum counts active witnesses that are not demonstration data (one here, the one just
  // added): 2 is refused, 1 is saved.
  await typeInto(admin, '#field-quorum', '2');
  await admin.focus('#field-quorum');
  const tooHigh = await navigation(admin, () => admin.keyboard.press('Enter'));
  assert.equal(tooHigh.status(), 422);
  problems.push(...(await checkPage(admin, await tooHigh.text(), 'the refused quorum')));
  await typeInto(admin, '#field-quorum', '1');
  await admin.focus('#field-quorum');
  assert.equal((await navigation(admin, () => admin.keyboard.press('Enter'))).status(), 200);
});

test('the transparency page shows the witnesses and their cosignatures in every locale, and passes axe-core and html-validate', async () => {
  for (const locale of LOCALES) {
    const html = await open(visitor, `/${locale}/transparency`);
    assert.ok(html.includes(translate(locale, 'transparency.witnesses.title')), `${locale}: the witnesses section`);
    assert.ok(html.includes('witness.demo.besa.invalid/civic-forum'), `${locale}: a demonstration witness`);
    assert.ok(html.includes(NAME), `${locale}: the witness added above`);
    assert.ok(html.includes('tag-demo'), `${locale}: demonstration witnesses labelled`);
    assert.ok(html.includes('href="/transparency/tlog/checkpoint"'), `${locale}: the link to the signed checkpoint`);
  }
});

test('no accessibility or validity problems on the pages visited', () => {
  assertNoProblems(problems);
});
