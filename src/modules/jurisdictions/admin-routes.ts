import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/database.js';

export function jurisdictionAdminRoutes(db: Db) {
  return async function routes(app: FastifyInstance): Promise<void> {
    void db;
    void app;
  };
}
