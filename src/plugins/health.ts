import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import type { DatabaseHandle } from '../db/database.js';
import { migrationNames } from '../db/migrate.js';

/**
 * What a load balancer or an orchestrator asks, outside any language and never cached:
 *
 * - `GET /healthz`: the process answers and the database with it (`ok`), for liveness.
 * - `GET /readyz`: `ready` when the database answers and every migration this version knows has
 *   been applied; otherwise 503 with a short plain reason (database unreachable, migrations pending),
 *   so traffic is not sent to a process started before `besa migrate` ran. The reason names no
 *   address, file or error text.
 */
export async function readiness(database: DatabaseHandle): Promise<{ ready: true } | { ready: false; reason: string }> {
  const { db, dialect } = database;
  let applied: Set<string>;
  try {
    const rows = await db.selectFrom('kysely_migration' as never).select('name' as never).execute();
    applied = new Set((rows as Array<{ name: string }>).map((r) => r.name));
  } catch {
    // Either no migration ever ran (no table) or the database does not answer: tell which.
    try {
      await sql`select 1`.execute(db);
    } catch {
      return { ready: false, reason: 'database unreachable' };
    }
    return { ready: false, reason: 'migrations pending: none applied (run besa migrate)' };
  }
  const pending = migrationNames(dialect).filter((name) => !applied.has(name));
  if (pending.length > 0) return { ready: false, reason: `migrations pending: ${pending.length} (run besa migrate)` };
  return { ready: true };
}

export default async function health(app: FastifyInstance, { database }: { database: DatabaseHandle }): Promise<void> {
  app.get('/healthz', async (_request, reply) => {
    await database.db.selectFrom('cache_state').select('version').executeTakeFirstOrThrow();
    return reply.header('cache-control', 'no-store').type('text/plain; charset=utf-8').send('ok');
  });

  app.get('/readyz', async (_request, reply) => {
    const state = await readiness(database);
    reply.header('cache-control', 'no-store').type('text/plain; charset=utf-8');
    return state.ready ? reply.send('ready') : reply.code(503).send(state.reason);
  });
}
