import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openTestApp, type TestApp } from '../../../test/app.js';
import { htmlErrors } from '../../../test/html.js';
import { createFirstAdministrator, createSetupToken } from '../accounts/commands.js';
import { decidimCsvFile, ogpCsv } from './test-files.js';

function multipart(fields: Record<string, string>, file?: { name: string; content: string }) {
  const boundary = '----besa-imports-test';
  const parts: Buffer[] = Object.entries(fields).map(([name, value]) => Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  if (file) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: text/csv\r\n\r\n`), Buffer.from(file.content), Buffer.from('\r\n'));
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** /admin/imports: an instance administrator uploads OGP's data and Decidim's results and reads the report; a bad file is refused with 422. */
describe('interop: the imports page', () => {
  let t: TestApp;
  let session: string;
  const url = '/en/admin/imports';
  before(async () => {
    t = await openTestApp();
    session = await createFirstAdministrator(t.database.db, await createSetupToken(t.database.db), { email: 'admin@example.org', displayName: 'Admin', password: 'correct horse battery staple' });
  });
  after(async () => t.close());

  async function send(fields: Record<string, string>, file?: { name: string; content: string }, withToken = true) {
    const page = await t.app.inject({ method: 'GET', url, cookies: { besa_session: session } });
    assert.equal(page.statusCode, 200);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const cookie = page.cookies.find((c) => c.name === '_csrf')?.value ?? '';
    return t.app.inject({ method: 'POST', url, ...multipart({ ...(withToken ? { _csrf: token } : {}), ...fields }, file), cookies: { besa_session: session, _csrf: cookie } });
  }

  test('the form, valid HTML', async () => {
    const page = await t.app.inject({ method: 'GET', url, cookies: { besa_session: session } });
    assert.match(page.body, /<h1>Imports<\/h1>/);
    assert.deepEqual(await htmlErrors(page.body), []);
    const fr = await t.app.inject({ method: 'GET', url: '/fr/admin/imports', cookies: { besa_session: session } });
    assert.match(fr.body, /<h1>Importations<\/h1>/);
  });

  test('an OGP file: the report with its counts and the skipped row', async () => {
    const res = await send({ format: 'ogp', jurisdiction: '', plan: '' }, { name: 'ogp.csv', content: ogpCsv() });
    assert.equal(res.statusCode, 200, res.body.slice(0, 500));
    assert.match(res.body, /6 rows read, 1 skipped\./);
    assert.match(res.body, /<th scope="row">Commitments<\/th><td>5<\/td><td>0<\/td><td>0<\/td>/);
    assert.match(res.body, /<td>5<\/td><td>No commitment title<\/td>/);
    assert.deepEqual(await htmlErrors(res.body), []);
    const again = await send({ format: 'ogp' }, { name: 'ogp.csv', content: ogpCsv() });
    assert.match(again.body, /<th scope="row">Commitments<\/th><td>0<\/td><td>0<\/td><td>5<\/td>/);
  });

  test('a Decidim file into a jurisdiction', async () => {
    const res = await send({ format: 'decidim', jurisdiction: 'tirana', plan: '' }, { name: 'results.csv', content: decidimCsvFile() });
    assert.equal(res.statusCode, 200, res.body.slice(0, 500));
    assert.match(res.body, /<th scope="row">Milestones<\/th><td>3<\/td>/);
  });

  test('refused: no file, no jurisdiction for Decidim, a file that is not the kind chosen; the choices kept', async () => {
    const none = await send({ format: 'ogp' });
    assert.equal(none.statusCode, 422);
    assert.match(none.body, /class="error-summary"/);
    assert.match(none.body, /CSV file: Choose a CSV file/);
    const noPlace = await send({ format: 'decidim', jurisdiction: '', plan: '2021-2021' }, { name: 'results.csv', content: decidimCsvFile() });
    assert.equal(noPlace.statusCode, 422);
    assert.match(noPlace.body, /Choose the jurisdiction the results belong to/);
    assert.match(noPlace.body, /name="plan"[^>]*value="2021-2021"/);
    const wrong = await send({ format: 'ogp' }, { name: 'results.csv', content: decidimCsvFile() });
    assert.equal(wrong.statusCode, 422);
    assert.match(wrong.body, /The file cannot be imported: not OGP’s commitment data/);
    assert.match(wrong.body, /<option value="ogp" selected/);
    assert.deepEqual(await htmlErrors(wrong.body), []);
  });

  test('a file over 10 MiB is refused with 422, the hint pointing to besa import', async () => {
    const page = await t.app.inject({ method: 'GET', url, cookies: { besa_session: session } });
    assert.match(page.body, /At most 10 MB\. Bigger files are imported on the server with the command besa import\./);
    const big = ogpCsv() + `${'x'.repeat(1000)}\n`.repeat(11 * 1024);
    const res = await send({ format: 'ogp' }, { name: 'ogp.csv', content: big });
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /The file is larger than 10 MB: import it on the server with the command besa import/);
  });

  test('without the CSRF token nothing is imported', async () => {
    const res = await send({ format: 'ogp' }, { name: 'ogp.csv', content: ogpCsv({ firstTitle: 'Changed without a token' }) }, false);
    assert.equal(res.statusCode, 403);
    const title = await t.database.db.selectFrom('commitments').select('title').where('code', '=', 'AL0001').executeTakeFirstOrThrow();
    assert.doesNotMatch(title.title, /without a token/);
  });
});
