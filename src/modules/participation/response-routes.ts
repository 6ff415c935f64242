import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/database.js';

// STUB (issue 11, moderation and responses helper): the moderation queue and the response pages
// (admin pass), the response table's CSV (content pass).
export function moderationAdminRoutes(_db: Db, _publicUrl: string) {
  return async function routes(_app: FastifyInstance): Promise<void> {};
}
export function responseAdminRoutes(_db: Db, _publicUrl: string) {
  return async function routes(_app: FastifyInstance): Promise<void> {};
}
export function responseContentRoutes(_db: Db) {
  return async function routes(_app: FastifyInstance): Promise<void> {};
}
