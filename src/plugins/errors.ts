import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ErrorPage, type ErrorKind } from '../ui/error-page.js';
import { pageContext, sendHtml } from './locale.js';

/** Thrown by handlers for an unknown slug or code: answered with the localized 404 page. */
export class NotFoundError extends Error {
  readonly statusCode = 404;
}

/** The request itself is malformed (a multipart body without a boundary, or cut short): a 400 page. */
export class BadRequestError extends Error {
  readonly statusCode = 400;
}

/** The request body is larger than the form allows: a 413 page. */
export class PayloadTooLargeError extends Error {
  readonly statusCode = 413;
}

/** The multipart parser's own errors carry no status: they are the sender's fault, not the server's. */
const MALFORMED_BODY = /^(Multipart: Boundary not found|Unexpected end of (form|multipart data)|Malformed (part header|urlencoded form)|Part terminated early)/;

function kindFor(status: number, error?: FastifyError): ErrorKind {
  if (status === 404) return 'notFound';
  if (status === 413) return 'tooLarge';
  if (status === 403) return error?.code?.startsWith('FST_CSRF') ? 'csrf' : 'forbidden';
  if (status >= 400 && status < 500) return 'badRequest';
  return 'server';
}

export function renderError(request: FastifyRequest, reply: FastifyReply, status: number, error?: FastifyError): FastifyReply {
  const ctx = pageContext(request);
  if (request.method === 'HEAD') return reply.code(status).send();
  return sendHtml(reply, ErrorPage({ ctx, kind: kindFor(status, error) }) as string, status);
}

/** Every error is a page in the request's language; nothing internal reaches the user. */
export default fp(async function errors(app: FastifyInstance) {
  app.setNotFoundHandler((request, reply) => renderError(request, reply, 404));
  app.setErrorHandler((error: FastifyError, request, reply) => {
    let status = error.statusCode ?? (MALFORMED_BODY.test(error.message ?? '') ? 400 : 500);
    if (error.code?.startsWith('FST_CSRF')) status = 403;
    if (status < 400 || status > 599) status = 500;
    // A client error is logged once, by the response line (plugins/request-log.ts).
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    return renderError(request, reply, status, error);
  });
});
