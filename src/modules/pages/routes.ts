import type { FastifyInstance } from 'fastify';

export function pageRoutes() {
  return async function routes(app: FastifyInstance): Promise<void> {
    void app;
  };
}
