import { Document, ExternalHyperlink, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType, type ParagraphChild } from 'docx';
import { translate } from '../../i18n/index.js';
import type { Block, Inline, ReportDocument } from './document.js';

/**
 * A report as a Word document (docx): the real Heading 1–4 styles (so a reader's outline and a
 * DOCX reader such as mammoth see headings), tables with a repeated header row, the document's
 * language in its default run properties and its title and creator in the core properties.
 */

const HEADINGS = { 1: HeadingLevel.HEADING_1, 2: HeadingLevel.HEADING_2, 3: HeadingLevel.HEADING_3, 4: HeadingLevel.HEADING_4 } as const;

function languageTag(locale: string): string {
  return locale === 'sq' ? 'sq-AL' : locale === 'fr' ? 'fr-FR' : locale === 'en' ? 'en-GB' : locale === 'sr-Cyrl' ? 'sr-Cyrl-RS' : locale === 'sr-Latn' ? 'sr-Latn-RS' : locale;
}

function run(inline: Inline, bold = false): ParagraphChild {
  const language = inline.lang ? { value: languageTag(inline.lang) } : undefined;
  if (inline.href) return new ExternalHyperlink({ link: inline.href, children: [new TextRun({ text: inline.text, style: 'Hyperlink', language })] });
  return new TextRun({ text: inline.text, bold, italics: inline.missing ?? false, language });
}

/** Text with line breaks as separate runs with breaks. */
function runs(inline: Inline, bold = false): ParagraphChild[] {
  if (inline.href) return [run(inline, bold)];
  return inline.text.split('\n').map((line, i) => new TextRun({ text: line, bold, italics: inline.missing ?? false, break: i > 0 ? 1 : undefined, language: inline.lang ? { value: languageTag(inline.lang) } : undefined }));
}

function blockToDocx(block: Block): (Paragraph | Table)[] {
  switch (block.kind) {
    case 'heading':
      return [new Paragraph({ heading: HEADINGS[block.level], children: runs(block.text) })];
    case 'paragraph':
      return [new Paragraph({ children: runs(block.text, block.notice ?? false) })];
    case 'facts':
      return block.rows.map(
        (row) =>
          new Paragraph({
            children: [new TextRun({ text: `${row.label}: `, bold: true }), ...row.value.flatMap((v, i) => (i > 0 ? [new TextRun(', '), run(v)] : [run(v)]))],
          }),
      );
    case 'list':
      return block.items.map((item) => new Paragraph({ bullet: { level: 0 }, children: runs(item) }));
    case 'table': {
      const header = new TableRow({
        tableHeader: true,
        cantSplit: true,
        children: block.head.map((h) => new TableCell({ children: [new Paragraph({ children: [new TextRun({ text: h, bold: true })] })] })),
      });
      const rows = block.rows.map((row) => new TableRow({ children: row.map((cell) => new TableCell({ children: [new Paragraph({ children: runs(cell) })] })) }));
      return [
        new Paragraph({ style: 'Caption', children: [new TextRun({ text: block.caption, bold: true })] }),
        new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, rows: [header, ...rows] }),
        new Paragraph({ children: [] }),
      ];
    }
  }
}

export async function renderDocx(report: ReportDocument): Promise<Buffer> {
  const document = new Document({
    title: report.title,
    subject: report.title,
    creator: report.author,
    lastModifiedBy: 'Besa',
    description: report.isDemo ? translate(report.locale, 'reports.demo') : report.title,
    styles: {
      default: {
        document: { run: { font: 'DejaVu Sans', size: 20, language: { value: languageTag(report.locale) } } },
      },
    },
    sections: [{ children: report.blocks.flatMap(blockToDocx) }],
  });
  return Packer.toBuffer(document);
}
