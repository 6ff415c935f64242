import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { csvField, responseTableCsv, toCsv } from './response-csv.js';
import type { ResponseRow } from './response-queries.js';

/** The response table's CSV writer: RFC 4180 quoting, spreadsheet formulas neutralised, BOM, CRLF. */
describe('response table CSV', () => {
  test('fields: quoted only when they must be, quotes doubled', () => {
    assert.equal(csvField('plain text'), 'plain text');
    assert.equal(csvField('a, b'), '"a, b"');
    assert.equal(csvField('say "yes"'), '"say ""yes"""');
    assert.equal(csvField('two\nlines'), '"two\nlines"');
    assert.equal(csvField('cr\rhere'), '"cr\rhere"');
    assert.equal(csvField(''), '');
    assert.equal(csvField('Çdo muaj · Ђурђевдан'), 'Çdo muaj · Ђурђевдан');
  });

  test('a field a spreadsheet would run as a formula gets a leading apostrophe', () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r']) assert.ok(csvField(`${start}1+1`).replace(/^"/, '').startsWith(`'${start}`), JSON.stringify(start));
    assert.equal(csvField('=SUM(A1:A9)'), "'=SUM(A1:A9)");
    assert.equal(csvField('=HYPERLINK("http://x","y")'), `"'=HYPERLINK(""http://x"",""y"")"`);
    assert.equal(csvField('a=b'), 'a=b', 'only at the start');
  });

  test('the file: BOM, CRLF after every row', () => {
    assert.equal(toCsv([['a', 'b'], ['c', 'd,e']]), '\uFEFFa,b\r\nc,"d,e"\r\n');
  });

  test('rows: translated header, anonymised author, hidden text, name and theme withheld, reply, demo flag, absolute link', () => {
    const base: ResponseRow = {
      contributionId: 7,
      parentId: null,
      depth: 0,
      kind: 'proposal',
      authorName: 'Secret Author',
      body: 'Secret hidden words',
      theme: 'Open data',
      ogpValue: null,
      status: 'hidden',
      hiddenReason: 'Insults',
      locale: 'sq',
      createdAt: '2024-01-02T00:00:00.000Z',
      publishedAt: '2024-01-02T00:00:00.000Z',
      isDemo: true,
      response: { outcome: 'accepted', reasons: { en: 'Taken up.' }, commitmentId: 1, milestoneId: null, shaped: { path: '/gjakova/plans/p/commitments/XKGJA0001', code: 'XKGJA0001', title: { en: 'C' } }, updatedAt: '' },
    };
    const reply: ResponseRow = { ...base, contributionId: 8, depth: 1, kind: 'comment', status: 'published', body: 'A reply', authorName: 'Drita', isDemo: false, response: null };
    const anonymised: ResponseRow = { ...reply, contributionId: 9, depth: 0, authorName: null, theme: null, body: 'Mine' };
    const text = responseTableCsv([base, reply, anonymised], 'en', 'https://besa.example.org/');
    const lines = text.split('\r\n');
    assert.equal(lines[0], '\uFEFFNumber,Kind,Theme,Author,Contribution,Outcome,Reasons,Commitment or milestone,Link,Demonstration data');
    assert.equal(lines[1], '7,Proposal,,Hidden by a moderator,Hidden by a moderator,Accepted,Taken up.,XKGJA0001,https://besa.example.org/en/gjakova/plans/p/commitments/XKGJA0001,yes');
    assert.equal(lines[2], '8,Reply,Open data,Drita,A reply,Not answered yet,,,,no');
    assert.equal(lines[3], '9,Comment,,Anonymised,Mine,Not answered yet,,,,no');
    for (const secret of ['Secret Author', 'Secret hidden words']) assert.ok(!text.includes(secret), secret);
  });
});
