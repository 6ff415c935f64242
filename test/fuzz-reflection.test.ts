import assert from 'node:assert/strict';
import { test } from 'node:test';
import { reflectionIn } from '../scripts/fuzz-reflection.js';

const HTML = 'text/html; charset=utf-8';

test('the fuzz finds a marker that became markup, in text, in an attribute, after a text area or a CDATA section', () => {
  assert.equal(reflectionIn('<p>Hello <besa-x9f2> world</p>', HTML), '<besa-x9f2> element');
  assert.equal(reflectionIn('<input value=""\'><svg onload=besa9f2>">', HTML), 'onload= attribute on <svg>');
  assert.equal(reflectionIn("<input value=''><besa-x9f2 a=''>", HTML), '<besa-x9f2> element');
  assert.equal(reflectionIn('<textarea></textarea><besa-x9f2></textarea>', HTML), '<besa-x9f2> element');
  assert.equal(reflectionIn('<a href="javascript:alert(besa9f2)">x</a>', HTML), 'javascript: href on <a>');
  assert.equal(reflectionIn('<feed><title><![CDATA[x]]><besa-x9f2>]]></title></feed>', 'application/atom+xml'), '<besa-x9f2> element');
  assert.equal(reflectionIn('<!-- x --><besa-x9f2>', HTML), '<besa-x9f2> element');
});

test('an escaped marker, one inside a quoted attribute or raw text, or a non-markup answer is no reflection', () => {
  assert.equal(reflectionIn('<p>&lt;besa-x9f2&gt;</p>', HTML), undefined);
  assert.equal(reflectionIn('<input value="&#34;\'><svg onload=besa9f2>">', HTML), undefined);
  assert.equal(reflectionIn('<input value="\'><besa-x9f2 a=\'">', HTML), undefined);
  assert.equal(reflectionIn('<textarea>&lt;/textarea&gt;<besa-x9f2></textarea>', HTML), undefined);
  assert.equal(reflectionIn('<script type="application/json">{"q":"<besa-x9f2>"}</script>', HTML), undefined);
  assert.equal(reflectionIn('<!-- <besa-x9f2> -->', HTML), undefined);
  assert.equal(reflectionIn('<title><![CDATA[<besa-x9f2>]]></title>', 'application/rss+xml'), undefined);
  assert.equal(reflectionIn('{"q":"<besa-x9f2>"}', 'application/json'), undefined);
  assert.equal(reflectionIn('<besa-x9f2>', 'text/plain'), undefined);
});
