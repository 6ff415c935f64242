import assert from 'node:assert/strict';
import { test } from 'node:test';
import Fastify from 'fastify';
import errors, { BadRequestError, PayloadTooLargeError } from './errors.js';

const PARSER_ERRORS = ['Multipart: Boundary not found', 'Unexpected end of form', 'Malformed part header'];

/** A bare app with the error pages, and routes that fail the ways a body parser fails. */
async function appThrowing() {
  const app = Fastify();
  await app.register(errors);
  PARSER_ERRORS.forEach((message, i) =>
    app.get(`/parser/${i}`, async () => {
      throw new Error(message);
    }),
  );
  app.get('/bad', async () => {
    throw new BadRequestError('bad');
  });
  app.get('/large', async () => {
    throw new PayloadTooLargeError('large');
  });
  app.get('/bug', async () => {
    throw new Error('something else');
  });
  await app.ready();
  return app;
}

test('a body parser’s own errors (no boundary, cut short, malformed) are 400 pages, not 500', async () => {
  const app = await appThrowing();
  for (const [i, message] of PARSER_ERRORS.entries()) {
    const res = await app.inject({ method: 'GET', url: `/parser/${i}` });
    assert.equal(res.statusCode, 400, message);
    assert.match(String(res.headers['content-type']), /text\/html/);
    assert.doesNotMatch(res.body, new RegExp(message), 'nothing internal reaches the page');
  }
  assert.equal((await app.inject({ method: 'GET', url: '/bad' })).statusCode, 400);
  assert.equal((await app.inject({ method: 'GET', url: '/large' })).statusCode, 413);
  assert.equal((await app.inject({ method: 'GET', url: '/bug' })).statusCode, 500);
  await app.close();
});
