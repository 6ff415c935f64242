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
import { commitments as gjakovaCommitments, plan as gjakovaPlan } from '../../db/seeds/gjakova.js';
import type { Locale } from '../../i18n/locales.js';
import { pickText, type Translatable } from '../../lib/translatable.js';
import { openTestDatabase, type TestDatabase } from '../../../test/db.js';
import { reportDocument } from './document.js';
import { renderDocx } from './docx.js';
import { monitoringReportModel, planReportModel, type PlanReportModel } from './model.js';
import { renderPdf } from './pdf.js';
import { prepareReports } from './test-fixture.js';

/**
 * The files read back: the PDF by pdftotext (Debian's poppler-utils) and by its own structure, the
 * DOCX by mammoth and its parts. Rendering does not touch the database (the models are read on
 * both databases in reports.test.ts), so these run on SQLite only: each plan PDF takes seconds.
 */

const execFileP = promisify(execFile);
const PDFTOTEXT = '/usr/bin/pdftotext';
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

describe('report files', () => {
  let database: TestDatabase;
  let model: PlanReportModel;

  before(async () => {
    database = await openTestDatabase('sqlite');
    await prepareReports(database.db);
    const plan = await planReportModel(database.db, 'gjakova', '2024-2025');
    assert.ok(plan);
    model = plan;
  });

  after(async () => {
    await database?.destroy();
  });

  test('the PDF is tagged, embeds its fonts and reads back in Albanian, Serbian Cyrillic and French', async () => {
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

  test('the monitoring report’s PDF reads back with the reviews, recommendations and follow-up', async () => {
    const monitoring = await monitoringReportModel(database.db, 'gjakova', '2024-2025');
    assert.ok(monitoring);
    const text = await pdfText(await renderPdf(reportDocument(monitoring, 'en', '2025-06-15')));
    assert.ok(text.includes('The inventory is online and matches what the office reported.'), 'a review finding');
    assert.ok(text.includes('Recommendations and follow-up'));
    assert.ok(text.includes('Government response'));
    assert.ok(text.includes('Follow-up on'), 'a follow-up entry');
  });
});
