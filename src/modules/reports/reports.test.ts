import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { inflateSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import mammoth from 'mammoth';
import yauzl from 'yauzl';
import { seedDemo, seedIfEmpty } from '../../db/seeds/index.js';
import { commitments as gjakovaCommitments, plan as gjakovaPlan } from '../../db/seeds/gjakova.js';
import type { Locale } from '../../i18n/locales.js';
import { pickText, type Translatable } from '../../lib/translatable.js';
import { SYSTEM } from '../audit/index.js';
import { generateCycles, publishProgressUpdate, saveProgressUpdate } from '../reporting/commands.js';
import { rdb } from '../reporting/tables.js';
import { DIALECTS } from '../../../test/db.js';
import { openTestApp, type TestApp } from '../../../test/app.js';
import { htmlErrors } from '../../../test/html.js';
import { insertReportingFixture, type ReportingFixture } from '../../../test/reporting-fixture.js';
import { ReportFileCache } from './cache.js';
import { reportDocument } from './document.js';
import { renderDocx } from './docx.js';
import { commitmentReportModel, monitoringReportModel, planReportModel } from './model.js';
import { renderPdf } from './pdf.js';

/**
 * The reports on Gjakova's seeded plan with the demonstration updates and reviews, plus a second
 * jurisdiction (the reporting fixture) with an update published through the reporting commands:
 * the PDF read back by pdftotext, the DOCX by mammoth, the routes' headers and cache.
 */

const execFileP = promisify(execFile);
const PDFTOTEXT = '/usr/bin/pdftotext';
const DRAFT = 'DRAFT-SHOULD-NEVER-SHOW summary of an unpublished update';
const DRAFT_NARRATIVE = 'DRAFT-SHOULD-NEVER-SHOW narrative';
const PUBLISHED = 'The budget was published on the portal every month.';
const EVIDENCE = 'https://example.org/budget-2025';
const PLAN = '/gjakova/plans/2024-2025';

const squash = (text: string) => text.replace(/\s+/g, ' ').trim();

async function pdfText(pdf: Buffer): Promise<string> {
  // Debian's poppler-utils: a missing pdftotext fails the test, never skips it.
  assert.ok(existsSync(PDFTOTEXT), `${PDFTOTEXT} is missing (apt-get install poppler-utils)`);
  const dir = await mkdtemp(join(tmpdir(), 'besa-report-'));
  try {
    const file = join(dir, 'report.pdf');
    await writeFile(file, pdf);
    const { stdout } = await execFileP(PDFTOTEXT, ['-enc', 'UTF-8', file, '-'], { maxBuffer: 32 * 1024 * 1024 });
    return squash(stdout);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The PDF's bytes as text, each compressed stream (page content) inflated in place. */
function withInflatedStreams(pdf: Buffer): string {
  const raw = pdf.toString('latin1');
  return raw.replace(/stream\r?\n([\s\S]*?)endstream/g, (whole, body: string) => {
    try {
      return `stream\n${inflateSync(Buffer.from(body, 'latin1')).toString('latin1')}\nendstream`;
    } catch {
      return whole;
    }
  });
}

/** One file of a DOCX (a zip), as text. */
function zipEntry(zip: Buffer, name: string): Promise<string> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(zip, { lazyEntries: true }, (error, file) => {
      if (error || !file) return reject(error ?? new Error('no zip'));
      file.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName !== name) return file.readEntry();
        file.openReadStream(entry, (err, stream) => {
          if (err || !stream) return reject(err ?? new Error('no stream'));
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            file.close();
            resolve(Buffer.concat(chunks).toString('utf8'));
          });
        });
      });
      file.on('end', () => reject(new Error(`${name} not in the zip`)));
      file.readEntry();
    });
  });
}

function decodeEntities(html: string): string {
  return html.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'");
}

const titleIn = (value: Translatable, locale: Locale) => pickText(value, locale);

for (const dialect of DIALECTS) {
  describe(`reports [${dialect}]`, () => {
    let t: TestApp;
    let f: ReportingFixture;

    before(async () => {
      t = await openTestApp(dialect, {}, { now: () => new Date('2025-06-15T10:00:00Z') });
      const { db } = t.database;
      await seedIfEmpty(db);
      await seedDemo(db);
      // A draft update of XKGJA0001 in cycle 2 (the demonstration leaves that one unreported).
      const plan = await db.selectFrom('action_plans').select('id').where('slug', '=', '2024-2025').where('jurisdiction_id', '=', db.selectFrom('jurisdictions').select('id').where('slug', '=', 'gjakova')).executeTakeFirstOrThrow();
      const cycle = await rdb(db).selectFrom('reporting_cycles').select('id').where('action_plan_id', '=', plan.id).where('number', '=', 2).executeTakeFirstOrThrow();
      const c1 = await db.selectFrom('commitments').select('id').where('action_plan_id', '=', plan.id).where('code', '=', 'XKGJA0001').executeTakeFirstOrThrow();
      const m1 = await db.selectFrom('milestones').select(['id', 'status']).where('commitment_id', '=', c1.id).orderBy('position').executeTakeFirstOrThrow();
      const draft = await saveProgressUpdate(db, SYSTEM, {
        cycleId: cycle.id,
        commitmentId: c1.id,
        locale: 'en',
        summary: DRAFT,
        items: [{ milestoneId: m1.id, status: 'in_progress', completion: 'limited', narrative: DRAFT_NARRATIVE, obstacles: [], obstacleNote: '', links: [] }],
        files: [],
        removeFileIds: [],
        submit: false,
        formToken: null,
      });
      assert.equal(draft.status, 'draft');
      // The reporting fixture's jurisdiction: one update published by its holder, with an evidence link.
      f = await insertReportingFixture(db, 'brandtown');
      await generateCycles(db, f.actors.coordinator, f.planId);
      const first = await rdb(db).selectFrom('reporting_cycles').select('id').where('action_plan_id', '=', f.planId).where('number', '=', 1).executeTakeFirstOrThrow();
      const saved = await saveProgressUpdate(db, f.actors.holder, {
        cycleId: first.id,
        commitmentId: f.commitmentId,
        locale: 'en',
        summary: PUBLISHED,
        items: [{ milestoneId: f.milestoneIds[0], status: 'in_progress', completion: 'limited', narrative: 'Twelve monthly reports are online.', obstacles: [], obstacleNote: '', links: [EVIDENCE] }],
        files: [],
        removeFileIds: [],
        submit: true,
        formToken: null,
      });
      await publishProgressUpdate(db, f.actors.coordinator, { updateId: saved.id });
    });

    after(async () => {
      await t?.close();
    });

    test('the plan report holds every commitment and only published updates', async () => {
      const model = await planReportModel(t.database.db, 'gjakova', '2024-2025');
      assert.ok(model);
      assert.deepEqual(
        model.commitments.map((c) => c.detail.code),
        ['XKGJA0001', 'XKGJA0002', 'XKGJA0003'],
      );
      assert.equal(model.isDemo, true);
      // XKGJA0001 has only a draft: nothing published; XKGJA0002 and 0003 have their demonstration updates.
      assert.equal(model.commitments[0]!.updates.length, 0);
      assert.equal(model.commitments[1]!.updates.length, 1);
      const doc = reportDocument(model, 'en', '2025-06-15');
      const text = JSON.stringify(doc.blocks);
      assert.ok(!text.includes('DRAFT-SHOULD-NEVER-SHOW'), 'a draft update is in the report');
      assert.ok(text.includes('Demonstration: the information campaign is complete.'));
      // OGP's template headings, and "Not stated" where the plan has no text (Gjakova's action is empty).
      const headings = doc.blocks.filter((b) => b.kind === 'heading').map((b) => (b.kind === 'heading' ? b.text.text : ''));
      for (const h of ['Foreword', 'Open government challenges, opportunities and strategic vision', 'Engagement and coordination', 'Commitment description', 'Problem', 'Status quo', 'Action', 'Milestones', 'Progress']) assert.ok(headings.includes(h), `heading ${h}`);
      assert.ok(doc.blocks.some((b) => b.kind === 'paragraph' && b.text.missing && b.text.text === 'Not stated'));
      assert.ok(doc.blocks.some((b) => b.kind === 'paragraph' && b.notice && /demonstration data/.test(b.text.text)), 'demonstration data labelled');
    });

    test('the PDF is tagged, embeds its fonts and reads back in Albanian, Serbian Cyrillic and French', async () => {
      const model = await planReportModel(t.database.db, 'gjakova', '2024-2025');
      assert.ok(model);
      for (const locale of ['sq', 'sr-Cyrl', 'fr'] as const) {
        const pdf = await renderPdf(reportDocument(model, locale, '2025-06-15'));
        const raw = withInflatedStreams(pdf);
        assert.match(raw, /^%PDF-1\.7/);
        for (const marker of ['/StructTreeRoot', '/MarkInfo', '/Marked true', '/FontFile2', '/DisplayDocTitle true', '/S /H1', '/S /H2', '/S /Table', '/S /TH', '/S /TD', '/S /TR', '/S /L', '/S /LI', '/S /P', '/Artifact']) {
          assert.ok(raw.includes(marker), `${locale}: ${marker} in the PDF`);
        }
        assert.ok(raw.includes(`/Lang (${locale})`), `${locale}: the document's language`);
        assert.ok(!raw.includes('/Helvetica'), `${locale}: no standard font without ë or Cyrillic`);
        const text = await pdfText(pdf);
        const planTitle = titleIn(gjakovaPlan.title, locale);
        assert.ok(text.includes(squash(planTitle)), `${locale}: the plan's title "${planTitle}" in the PDF text`);
        for (const c of gjakovaCommitments) {
          const title = titleIn(c.title, locale);
          assert.ok(text.includes(squash(title)), `${locale}: "${title}" in the PDF text`);
        }
        if (locale === 'sq') assert.match(planTitle + text, /[ëç]/);
        if (locale === 'sr-Cyrl') {
          assert.match(planTitle, /[\u0400-\u04FF]/, 'the Serbian title is in Cyrillic');
          assert.ok(text.includes('Ђаковица'), 'Cyrillic Đ read back');
        }
        assert.ok(!text.includes('DRAFT-SHOULD-NEVER-SHOW'));
        assert.match(text, locale === 'fr' ? /Page 1 sur \d+/ : locale === 'sq' ? /Faqja 1 nga \d+/ : /Страна 1 од \d+/, `${locale}: page numbers`);
        assert.ok(text.includes(locale === 'fr' ? 'données de démonstration' : locale === 'sq' ? 'të dhëna demonstruese' : 'демонстрационе податке'), `${locale}: demonstration labelled`);
      }
    });

    test('the DOCX reads back with its headings: the plan as Heading 1, each commitment as Heading 2', async () => {
      const model = await planReportModel(t.database.db, 'gjakova', '2024-2025');
      assert.ok(model);
      for (const locale of ['sq', 'fr'] as const) {
        const docx = await renderDocx(reportDocument(model, locale, '2025-06-15'));
        const { value } = await mammoth.convertToHtml({ buffer: docx });
        const html = decodeEntities(value);
        const h1 = [...html.matchAll(/<h1>(.*?)<\/h1>/g)].map((m) => m[1]);
        const h2 = [...html.matchAll(/<h2>(.*?)<\/h2>/g)].map((m) => m[1]);
        assert.equal(h1.length, 1);
        assert.ok(h1[0]!.includes(titleIn(gjakovaPlan.title, locale)), `${locale}: the plan's title in <h1>`);
        for (const c of gjakovaCommitments) assert.ok(h2.some((h) => h!.includes(`${c.code} ${titleIn(c.title, locale)}`)), `${locale}: ${c.code} in an <h2>`);
        assert.ok(html.includes('<table>'), 'tables');
        assert.ok(html.includes('<h3>'), 'third-level headings');
        assert.ok(!html.includes('DRAFT-SHOULD-NEVER-SHOW'));
        const core = await zipEntry(docx, 'docProps/core.xml');
        assert.ok(decodeEntities(core).includes(titleIn(gjakovaPlan.title, locale)), `${locale}: the plan's title in the document's title`);
        const styles = await zipEntry(docx, 'word/styles.xml');
        assert.match(styles, new RegExp(`w:lang w:val="${locale === 'sq' ? 'sq-AL' : 'fr-FR'}"`), `${locale}: the document's language`);
      }
    });

    test('the monitoring report lists the published reviews with their recommendations and follow-up', async () => {
      const model = await monitoringReportModel(t.database.db, 'gjakova', '2024-2025');
      assert.ok(model);
      assert.equal(model.reports.length, 1);
      assert.deepEqual(model.reports[0]!.reviews.map((r) => r.commitment.code).sort(), ['XKGJA0001', 'XKGJA0002', 'XKGJA0003']);
      const text = await pdfText(await renderPdf(reportDocument(model, 'en', '2025-06-15')));
      assert.ok(text.includes('The inventory is online and matches what the office reported.'), 'a review finding');
      assert.ok(text.includes('Recommendations and follow-up'));
      assert.ok(text.includes('Government response'));
      assert.ok(text.includes('Follow-up on'), 'a follow-up entry');
      // Before any monitoring report: an explanatory page, and no files.
      const none = await monitoringReportModel(t.database.db, 'brandtown', '2024-2025');
      assert.ok(none);
      assert.equal(none.reports.length, 0);
      const page = await t.app.inject({ url: '/en/brandtown/plans/2024-2025/monitoring-report' });
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /has not published a monitoring report on this plan yet/);
      assert.ok(!page.body.includes('monitoring-report.pdf'));
      assert.equal((await t.app.inject({ url: '/en/brandtown/plans/2024-2025/monitoring-report.pdf' })).statusCode, 404);
    });

    test('the end-of-commitment report tells the published updates in order with their evidence, never a draft', async () => {
      const model = await commitmentReportModel(t.database.db, 'brandtown', '2024-2025', 'XKGJA0001');
      assert.ok(model);
      assert.equal(model.commitment.updates.length, 1);
      const doc = reportDocument(model, 'sq', '2025-06-15');
      const text = JSON.stringify(doc.blocks);
      assert.ok(text.includes(PUBLISHED));
      assert.ok(doc.blocks.some((b) => b.kind === 'list' && b.items.some((i) => i.href === EVIDENCE)), 'the evidence link');
      assert.ok(doc.blocks.some((b) => b.kind === 'heading' && b.level === 1 && b.text.text.includes('Buxhet i hapur')));
      const gjakova = await commitmentReportModel(t.database.db, 'gjakova', '2024-2025', 'XKGJA0001');
      assert.ok(gjakova);
      assert.equal(gjakova.commitment.updates.length, 0);
      assert.equal(gjakova.reviews.length, 1, 'the demonstration review of XKGJA0001');
      const page = await t.app.inject({ url: `/en${PLAN}/commitments/XKGJA0001/report` });
      assert.equal(page.statusCode, 200);
      assert.ok(!page.body.includes('DRAFT-SHOULD-NEVER-SHOW'));
      assert.match(page.body, /The monitoring body’s reviews/);
      assert.equal((await t.app.inject({ url: `/en${PLAN}/commitments/XKGJA9999/report.pdf` })).statusCode, 404);
    });

    test('the printable pages are valid HTML in every locale and link to their PDF and DOCX', async () => {
      for (const locale of ['en', 'sq', 'sr-Latn', 'sr-Cyrl', 'fr']) {
        for (const path of [`${PLAN}/report`, `${PLAN}/monitoring-report`, `${PLAN}/commitments/XKGJA0002/report`]) {
          const res = await t.app.inject({ url: `/${locale}${path}` });
          assert.equal(res.statusCode, 200, `${locale}${path}`);
          assert.deepEqual(await htmlErrors(res.body), [], `${locale}${path}`);
          assert.ok(res.body.includes(`href="/${locale}${path}.pdf"`), `${locale}${path}: link to the PDF`);
          assert.ok(res.body.includes(`href="/${locale}${path}.docx"`), `${locale}${path}: link to the DOCX`);
        }
      }
      const plan = await t.app.inject({ url: `/fr${PLAN}` });
      assert.ok(plan.body.includes(`href="/fr${PLAN}/report.pdf"`), 'the plan page links to its report');
      const commitment = await t.app.inject({ url: `/fr${PLAN}/commitments/XKGJA0001` });
      assert.ok(commitment.body.includes(`href="/fr${PLAN}/commitments/XKGJA0001/report.docx"`), 'the commitment page links to its report');
    });

    test('files have their type and a file name with the plan and locale, and a second request is served from memory', async () => {
      const made = ReportFileCache.made;
      const pdf = await t.app.inject({ url: `/sr-Cyrl${PLAN}/commitments/XKGJA0002/report.pdf` });
      assert.equal(pdf.statusCode, 200);
      assert.equal(pdf.headers['content-type'], 'application/pdf');
      assert.equal(pdf.headers['content-disposition'], 'inline; filename="gjakova-2024-2025-XKGJA0002-report-sr-Cyrl.pdf"');
      assert.equal(ReportFileCache.made, made + 1);
      const again = await t.app.inject({ url: `/sr-Cyrl${PLAN}/commitments/XKGJA0002/report.pdf` });
      assert.equal(ReportFileCache.made, made + 1, 'the second request made nothing');
      assert.equal(again.headers.etag, pdf.headers.etag);
      assert.ok(again.rawPayload.equals(pdf.rawPayload));
      assert.equal((await t.app.inject({ url: `/sr-Cyrl${PLAN}/commitments/XKGJA0002/report.pdf`, headers: { 'if-none-match': String(pdf.headers.etag) } })).statusCode, 304);
      const docx = await t.app.inject({ url: `/fr${PLAN}/report.docx` });
      assert.equal(docx.headers['content-type'], 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
      assert.equal(docx.headers['content-disposition'], 'attachment; filename="gjakova-2024-2025-plan-report-fr.docx"');
      assert.equal(ReportFileCache.made, made + 2);
      // A published change: the next request makes the file again.
      await t.database.db.updateTable('cache_state').set({ version: 1_000_000 }).where('id', '=', 1).execute();
      await t.app.inject({ url: `/sr-Cyrl${PLAN}/commitments/XKGJA0002/report.pdf` });
      assert.equal(ReportFileCache.made, made + 3);
    });
  });
}
