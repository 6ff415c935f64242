/**
 * The imports page in a browser: an instance administrator uploads OGP's commitment data through
 * the plain HTML form and reads the report; the form, the report, a refused file (422) and the
 * imported commitment's IRM assessment pass axe-core and html-validate in every language.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { createFirstAdministrator, createSetupToken } from '../src/modules/accounts/commands.js';
import { decidimCsvFile, ogpCsv } from '../src/modules/interop/test-files.js';
import { assertNoProblems, checkPage, launchBrowser, LOCALES, newContext } from './browser.js';
import { startServer, type TestServer } from './server.js';

let server: TestServer;
let browser: Browser;
let session: string;
let dir: string;

before(async () => {
  server = await startServer({ demo: false });
  browser = await launchBrowser();
  session = await createFirstAdministrator(server.db, await createSetupToken(server.db), { email: 'admin@example.org', displayName: 'Admin', password: 'correct horse battery staple' });
  dir = mkdtempSync(join(tmpdir(), 'besa-e2e-imports-'));
  writeFileSync(join(dir, 'ogp.csv'), ogpCsv());
  writeFileSync(join(dir, 'results.csv'), decidimCsvFile());
});

after(async () => {
  await browser?.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('upload, the report, a refused file and the IRM assessment: axe-core and html-validate in every language', async () => {
  const context = await newContext(browser);
  await context.addCookies([{ name: 'besa_session', value: session, url: server.url }]);
  const page = await context.newPage();
  const problems: string[] = [];
  for (const locale of LOCALES) {
    const path = `/${locale}/admin/imports`;
    const response = await page.goto(`${server.url}${path}`);
    assert.equal(response?.status(), 200, path);
    problems.push(...(await checkPage(page, await response!.text(), path)));
  }

  await page.goto(`${server.url}/en/admin/imports`);
  await page.selectOption('#field-format', 'ogp');
  await page.setInputFiles('#field-file', join(dir, 'ogp.csv'));
  const [report] = await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
  assert.equal(report?.status(), 200);
  problems.push(...(await checkPage(page, await report!.text(), 'report')));
  assert.match(await page.locator('.import-report').innerText(), /No commitment title/);

  await page.selectOption('#field-format', 'ogp');
  await page.setInputFiles('#field-file', join(dir, 'results.csv'));
  const [refused] = await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
  assert.equal(refused?.status(), 422);
  problems.push(...(await checkPage(page, await refused!.text(), 'refused')));

  for (const locale of LOCALES) {
    const path = `/${locale}/albania/plans/2018-2020/commitments/AL0002`;
    const response = await page.goto(`${server.url}${path}`);
    assert.equal(response?.status(), 200, path);
    problems.push(...(await checkPage(page, await response!.text(), path)));
    assert.equal(await page.locator('#irm-assessment').count(), 1, path);
  }
  await context.close();
  assertNoProblems(problems);
});
