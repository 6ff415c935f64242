import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import PDFDocument from 'pdfkit';
import { translate } from '../../i18n/index.js';
import type { Block, Inline, ReportDocument } from './document.js';

/**
 * A report as a tagged PDF 1.7 (pdfkit): language, title shown in the window, DejaVu Sans regular
 * and bold embedded (Albanian ë/ç and Cyrillic need them; the standard 14 fonts have neither),
 * every heading, paragraph, list and table in the structure tree (H1–H4, P, L/LI/LBody,
 * Table/TR/TH/TD), page numbers and rules marked as artifacts.
 */

const require = createRequire(import.meta.url);
const FONT_DIR = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
export const FONT_REGULAR = join(FONT_DIR, 'DejaVuSans.ttf');
export const FONT_BOLD = join(FONT_DIR, 'DejaVuSans-Bold.ttf');

/** The two fonts' bytes, read once per process (pdfkit would read the files again for every document). */
let fonts: { regular: Buffer; bold: Buffer } | undefined;
function fontBytes(): { regular: Buffer; bold: Buffer } {
  fonts ??= { regular: readFileSync(FONT_REGULAR), bold: readFileSync(FONT_BOLD) };
  return fonts;
}

const SIZES = { 1: 20, 2: 15, 3: 12.5, 4: 11 } as const;
const BODY = 10;
const MARGIN = 56;

type Struct = PDFKit.PDFStructureElement;

/** BCP 47 tag of a locale (the PDF's /Lang and each fallback text's). */
function langTag(locale: string): string {
  return locale === 'sr-Latn' ? 'sr-Latn' : locale === 'sr-Cyrl' ? 'sr-Cyrl' : locale;
}

export function renderPdf(report: ReportDocument): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    pdfVersion: '1.7',
    tagged: true,
    lang: langTag(report.locale),
    displayTitle: true,
    bufferPages: true,
    info: { Title: report.title, Author: report.author, Subject: report.title, Creator: 'Besa', Producer: 'Besa (pdfkit)' },
    font: fontBytes().regular,
  } as unknown as PDFKit.PDFDocumentOptions);
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('regular', fontBytes().regular);
  doc.registerFont('bold', fontBytes().bold);
  doc.font('regular').fontSize(BODY);

  const root = doc.struct('Document');
  doc.addStructure(root);
  for (const block of report.blocks) renderBlock(doc, root, block);
  root.end();

  // Page numbers: artifacts, written in the bottom margin of every buffered page.
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.markContent('Artifact', { type: 'Pagination' });
    doc
      .font('regular')
      .fontSize(8)
      .fillColor('#444444')
      .text(translate(report.locale, 'reports.page', { page: i + 1, pages: range.count }), MARGIN, doc.page.height - bottom / 2 - 4, { width: doc.page.width - 2 * MARGIN, align: 'center', lineBreak: false });
    doc.endMarkedContent();
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}

function ensureSpace(doc: PDFKit.PDFDocument, height: number): void {
  if (doc.y + height > doc.page.maxY()) doc.addPage();
}

function inlineOptions(inline: Inline) {
  return inline.href ? { link: inline.href, underline: true } : {};
}

function renderBlock(doc: PDFKit.PDFDocument, root: Struct, block: Block): void {
  const width = doc.page.width - 2 * MARGIN;
  switch (block.kind) {
    case 'heading': {
      const size = SIZES[block.level];
      doc.font('bold').fontSize(size);
      // Keep a heading with at least two lines of what follows.
      ensureSpace(doc, doc.heightOfString(block.text.text, { width }) + BODY * 3);
      doc.moveDown(block.level === 1 ? 0 : 0.6);
      root.add(
        doc.struct(`H${block.level}`, { lang: block.text.lang ? langTag(block.text.lang) : undefined }, () => {
          doc.fillColor('#000000').text(block.text.text, MARGIN, doc.y, { width });
        }),
      );
      if (block.level === 1) {
        // A rule under the title: decoration, an artifact.
        doc.markContent('Artifact', { type: 'Layout' });
        doc.moveTo(MARGIN, doc.y + 4).lineTo(MARGIN + width, doc.y + 4).lineWidth(1).strokeColor('#888888').stroke();
        doc.endMarkedContent();
        doc.moveDown(0.6);
      }
      doc.moveDown(0.2);
      doc.font('regular').fontSize(BODY);
      return;
    }
    case 'paragraph': {
      doc.font(block.notice ? 'bold' : 'regular').fontSize(BODY);
      root.add(
        doc.struct('P', { lang: block.text.lang ? langTag(block.text.lang) : undefined }, () => {
          doc.fillColor(block.text.missing ? '#444444' : '#000000').text(block.text.text, MARGIN, doc.y, { width, ...inlineOptions(block.text) });
        }),
      );
      doc.font('regular').fillColor('#000000');
      doc.moveDown(0.4);
      return;
    }
    case 'facts': {
      for (const row of block.rows) {
        const value = row.value.map((v) => v.text).join(', ');
        const lang = row.value.find((v) => v.lang)?.lang;
        root.add(
          doc.struct('P', { lang: lang ? langTag(lang) : undefined }, () => {
            doc.font('bold').fontSize(BODY).fillColor('#000000').text(`${row.label}: `, MARGIN, doc.y, { width, continued: true });
            doc.font('regular').text(value);
          }),
        );
      }
      doc.moveDown(0.4);
      return;
    }
    case 'list': {
      const list = doc.struct('L');
      root.add(list);
      for (const item of block.items) {
        const li = doc.struct('LI');
        list.add(li);
        li.add(
          doc.struct('Lbl', {}, () => {
            doc.font('regular').fontSize(BODY).fillColor('#000000').text('•', MARGIN + 6, doc.y, { width: 10, continued: false, lineBreak: false });
          }),
        );
        const y = doc.y;
        doc.y = y;
        li.add(
          doc.struct('LBody', { lang: item.lang ? langTag(item.lang) : undefined }, () => {
            doc.text(item.text, MARGIN + 18, y, { width: width - 18, ...inlineOptions(item) });
          }),
        );
        li.end();
      }
      list.end();
      doc.x = MARGIN;
      doc.moveDown(0.4);
      return;
    }
    case 'table': {
      doc.font('bold').fontSize(BODY);
      const captionHeight = doc.heightOfString(block.caption, { width });
      ensureSpace(doc, captionHeight + 60);
      const top = doc.y;
      doc.font('regular').fontSize(9);
      const head = block.head.map((text) => ({ text, type: 'TH' as const, scope: 'Column', font: { src: 'bold' }, backgroundColor: '#eeeeee' }));
      // pdfkit's own table lays rows out across pages and tags Table > TR > TH/TD under `structParent`.
      const table = (doc as unknown as { table(o: unknown): PdfTable }).table({
        position: { x: MARGIN, y: top + captionHeight + 4 },
        maxWidth: width,
        columnStyles: columnWidths(doc, block, width),
        structParent: root,
        defaultStyle: { border: 0.5, borderColor: '#888888', padding: 3, font: { src: 'regular', size: 9 } },
      });
      // The caption first inside the Table element, drawn above the rows.
      table._tableStruct.add(
        doc.struct('Caption', {}, () => {
          doc.font('bold').fontSize(BODY).fillColor('#000000').text(block.caption, MARGIN, top, { width });
        }),
      );
      doc.font('regular').fontSize(9);
      table.row(head);
      block.rows.forEach((row, i) => table.row(row.map((cell) => ({ text: cell.text })), i === block.rows.length - 1));
      if (!block.rows.length) table.end();
      doc.x = MARGIN;
      doc.font('regular').fontSize(BODY);
      doc.moveDown(0.6);
      return;
    }
  }
}

/**
 * Column widths: each column at least as wide as its longest word (a code or a status is never
 * broken inside a word), the rest shared by how much text each column holds.
 */
function columnWidths(doc: PDFKit.PDFDocument, block: Extract<Block, { kind: 'table' }>, width: number): number[] {
  const columns = block.head.map((h, i) => [h, ...block.rows.map((r) => r[i]?.text ?? '')]);
  const mins = columns.map((texts, i) => {
    doc.font(i === 0 ? 'bold' : 'regular').fontSize(9);
    // Measure only the longest few words by letters (measuring every word costs a layout each).
    const words = [...new Set(texts.flatMap((t) => t.split(/\s+/)))].sort((a, b) => b.length - a.length).slice(0, 4);
    const longest = Math.max(0, ...words.map((w) => doc.widthOfString(w)));
    return Math.min(longest + 10, width * 0.3);
  });
  doc.font('regular').fontSize(9);
  const minTotal = mins.reduce((a, b) => a + b, 0);
  if (minTotal >= width) return mins.map((m) => (m / minTotal) * width);
  const weights = columns.map((texts) => Math.min(Math.max(texts.reduce((n, t) => n + Math.min(t.length, 300), 0) / texts.length, 4), 80));
  const total = weights.reduce((a, b) => a + b, 0);
  const spare = width - minTotal;
  return mins.map((m, i) => m + (weights[i]! / total) * spare);
}

interface PdfTable {
  _tableStruct: Struct;
  row(cells: unknown[], last?: boolean): PdfTable;
  end(): void;
}
