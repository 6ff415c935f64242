import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/database.js';

// STUB (issue 11, contributions helper): the contribution, reply and flag forms, confirmation links
// (content pass: /:jurisdiction/consultations/:slug/...), and the privacy (erasure) pages (public pass).
export function contributionContentRoutes(_db: Db, _publicUrl: string) {
  return async function routes(_app: FastifyInstance): Promise<void> {};
}
export function privacyPublicRoutes(_db: Db, _publicUrl: string) {
  return async function routes(_app: FastifyInstance): Promise<void> {};
}
