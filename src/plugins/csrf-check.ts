import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { BadRequestError } from './errors.js';

/**
 * The CSRF plugin's own check (@fastify/csrf-protection, double-submit cookie), made at the moment
 * a handler chooses rather than as a preHandler: a multipart form is checked once its `_csrf` field
 * has arrived, before its files are read or anything is saved. Throws the plugin's 403 error when
 * the token is wrong or missing.
 */
export function verifyCsrf(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply): void {
  let passed = false;
  let refusal: unknown;
  const probe: FastifyReply = Object.create(reply, {
    send: {
      value: (error: unknown) => {
        refusal = error;
        return probe;
      },
    },
  });
  app.csrfProtection.call(app, request, probe, () => {
    passed = true;
  });
  if (!passed) throw refusal ?? new BadRequestError('CSRF check did not answer');
}
