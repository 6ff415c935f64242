import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readDate, slashOrder } from './dates.js';

describe('interop: dates as other systems write them', () => {
  test('ISO, slashed both ways, a month, a year, a serial number; a month or a year gives its first or last day', () => {
    const iso = (text: string, edge: 'start' | 'end' = 'start', order?: 'dmy' | 'mdy') => {
      const r = readDate(text, edge, order);
      return r.kind === 'date' ? r.iso : r.kind;
    };
    assert.equal(iso('2019-06-30'), '2019-06-30');
    assert.equal(iso('2019-06-30T00:00:00Z'), '2019-06-30');
    assert.equal(iso('30/06/2019'), '2019-06-30', 'day first: 30 cannot be a month');
    assert.equal(iso('06/30/2019'), '2019-06-30', 'month first: 30 cannot be a month');
    assert.equal(iso('03/04/2019', 'start', 'dmy'), '2019-04-03', 'ambiguous: the file’s order');
    assert.equal(iso('03/04/2019', 'start', 'mdy'), '2019-03-04');
    assert.equal(iso('June 2019'), '2019-06-01');
    assert.equal(iso('June 2019', 'end'), '2019-06-30');
    assert.equal(iso('Feb 2020', 'end'), '2020-02-29');
    assert.equal(iso('2019'), '2019-01-01');
    assert.equal(iso('2019', 'end'), '2019-12-31');
    assert.equal(iso('30 June 2019'), '2019-06-30');
    assert.equal(iso('June 30, 2019'), '2019-06-30');
    assert.equal(iso('44197'), '2021-01-01', 'a spreadsheet serial');
    assert.equal(iso(''), 'empty');
    assert.equal(iso('  '), 'empty');
    assert.equal(iso('soon'), 'bad');
    assert.equal(iso('31/02/2019'), 'bad', 'no 31 February');
    assert.equal(iso('2019-13-01'), 'bad');
  });

  test('a file’s slash order comes from the dates that tell, the majority winning', () => {
    assert.equal(slashOrder(['03/04/2019', '31/12/2019']), 'dmy');
    assert.equal(slashOrder(['03/04/2019', '12/31/2019']), 'mdy');
    assert.equal(slashOrder(['03/04/2019', '2019-01-01']), undefined);
  });
});
