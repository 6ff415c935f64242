import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { translate, type MessageKey } from '../../i18n/index.js';

/** RFC 9457 problem answers of the API (application/problem+json, never cached). */

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
};

export interface ProblemField {
  field: string;
  code: string;
  message: string;
}

export function sendProblem(reply: FastifyReply, status: number, detail?: string, errors?: ProblemField[]): FastifyReply {
  reply.code(status).type('application/problem+json').header('cache-control', 'no-store');
  return reply.send({ type: 'about:blank', title: TITLES[status] ?? 'Error', status, ...(detail ? { detail } : {}), ...(errors ? { errors } : {}) });
}

/** A documented problem answer (content type application/problem+json). */
export function problem(description: string) {
  return { description, content: { 'application/problem+json': { schema: Type.Ref('Problem') } } };
}

/** A message key's English text (problem details are in English; the key is the field error's code). */
export function englishMessage(key: string, values?: Record<string, string | number>): string {
  try {
    return translate('en', key as MessageKey, values);
  } catch {
    return key;
  }
}
