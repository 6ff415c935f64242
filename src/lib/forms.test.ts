import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  FormErrors,
  formList,
  formValues,
  hasUnstorable,
  optionalDate,
  optionalInteger,
  optionalText,
  optionalUrl,
  requireChoice,
  requireDate,
  requireSlug,
  requireText,
  unstorableErrors,
  unstorableFields,
  withoutUnstorable,
} from './forms.js';

describe('the character rule', () => {
  test('refuses C0 controls except tab, line feed and carriage return, DEL, C1 controls and lone surrogates', () => {
    const refused: string[] = [];
    for (let c = 0; c <= 0x1f; c++) if (c !== 0x09 && c !== 0x0a && c !== 0x0d) refused.push(String.fromCharCode(c));
    refused.push('\u007f');
    for (let c = 0x80; c <= 0x9f; c++) refused.push(String.fromCharCode(c));
    refused.push('\ud800', '\udbff', '\udc00', '\udfff', '\ud83d', '\ude00');
    for (const ch of refused) {
      assert.equal(hasUnstorable(`a${ch}b`), true, `U+${ch.charCodeAt(0).toString(16).padStart(4, '0')} is refused`);
      assert.equal(withoutUnstorable(`a${ch}b`), 'ab');
    }
    // A lone surrogate at either end, and a low surrogate before a high one (not a pair).
    assert.equal(hasUnstorable('\ud800'), true);
    assert.equal(hasUnstorable('x\udc00'), true);
    assert.equal(withoutUnstorable('\ude00\ud83d'), '');
  });

  test('keeps ordinary text: tab, newlines, every script, emoji (surrogate pairs), U+00A0 and beyond', () => {
    const kept = ['tab\there', 'line\nbreak', 'crlf\r\nbreak', 'Gjakovë ç ë', 'Ђаковица', 'Œuvre « française »', '😀 👩🏽‍💻', '\u00a0nbsp', '\u00ad', '\u200b', '\ufeff', 'ￜ'];
    for (const text of kept) {
      assert.equal(hasUnstorable(text), false, JSON.stringify(text));
      assert.equal(withoutUnstorable(text), text);
    }
  });

  test('gives the same answer when called again (no state kept between calls)', () => {
    for (let i = 0; i < 3; i++) {
      assert.equal(hasUnstorable('a\u0000'), true);
      assert.equal(hasUnstorable('plain'), false);
    }
  });
});

describe('reading a form', () => {
  test('formValues removes the characters, keeps the rest and remembers the fields', () => {
    const values = formValues({ name: 'Zyra\u0000 për Informim', description: 'Line\r\nand\ttab', code: ['A\u0085', 'B'], other: 'fine', file: { ignored: true } });
    assert.deepEqual({ ...values }, { name: 'Zyra për Informim', description: 'Line\r\nand\ttab', code: 'A\nB', other: 'fine' });
    assert.deepEqual(unstorableFields(values).sort(), ['code', 'name']);
    assert.deepEqual(unstorableFields(formValues({ a: 'b' })), []);
    assert.deepEqual(unstorableFields({ literal: 'a\u0000' }), [], 'only values read by formValues carry the mark');
  });

  test('every require and optional helper refuses such a field with form.error.character, before its own checks', () => {
    const values = formValues({
      text: 'a\u0000',
      optional: '\u0001',
      date: '2025-01-01\u0000',
      optionalDate: '\u0002',
      slug: 'gja\u0000kova',
      choice: 'a\u0003',
      integer: '1\u0004',
      url: 'https://example.org/\u0005',
      fine: 'ok',
    });
    const errors = new FormErrors();
    assert.equal(requireText(values, errors, 'text'), 'a');
    assert.equal(optionalText(values, errors, 'optional'), '');
    assert.equal(requireDate(values, errors, 'date'), '2025-01-01');
    assert.equal(optionalDate(values, errors, 'optionalDate'), null);
    assert.equal(requireSlug(values, errors, 'slug'), 'gjakova');
    assert.equal(requireChoice(values, errors, 'choice', ['a', 'b']), 'a');
    assert.equal(optionalInteger(values, errors, 'integer', 0, 10), 1);
    assert.equal(optionalUrl(values, errors, 'url'), 'https://example.org/');
    assert.equal(requireText(values, errors, 'fine'), 'ok');
    assert.deepEqual(
      errors.list.map((e) => [e.field, e.message]),
      ['text', 'optional', 'date', 'optionalDate', 'slug', 'choice', 'integer', 'url'].map((f) => [f, 'form.error.character']),
    );
  });

  test('unstorableErrors reports the fields no helper reads, once each', () => {
    const values = formValues({ country_code: 'X\u0000K', name: 'ok' });
    const errors = unstorableErrors(values);
    errors.add('country_code', 'form.error.required');
    assert.deepEqual(errors.list, [{ field: 'country_code', message: 'form.error.character' }]);
  });

  test('formList removes the characters from each value', () => {
    assert.deepEqual(formList({ ids: ['1\u0000', '2'] }, 'ids'), ['1', '2']);
    assert.deepEqual(formList({ ids: '\ud8003' }, 'ids'), ['3']);
    assert.deepEqual(formList({}, 'ids'), []);
  });
});
