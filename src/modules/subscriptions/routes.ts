import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/database.js';

// STUB (issue 11, subscriptions helper): subscribe, confirm, manage, unsubscribe (one click, RFC 8058).
export function subscriptionPublicRoutes(_db: Db, _publicUrl: string) {
  return async function routes(_app: FastifyInstance): Promise<void> {};
}
