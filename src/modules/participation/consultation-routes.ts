import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/database.js';

// STUB (issue 11, consultations helper): public list and page (content pass), admin pages.
export function consultationPublicRoutes(_db: Db) {
  return async function routes(_app: FastifyInstance): Promise<void> {};
}
export function consultationAdminRoutes(_db: Db, _publicUrl: string) {
  return async function routes(_app: FastifyInstance): Promise<void> {};
}
