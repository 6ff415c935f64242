import { after, before, describe } from 'node:test';
import pg from 'pg';
import { openDatabase, type DatabaseHandle } from '../src/db/database.js';
import type { Dialect } from '../src/db/dialect.js';
import { migrateToLatest } from '../src/db/migrate.js';

export const DIALECTS: Dialect[] = ['sqlite', 'postgres'];

/** The PostgreSQL server tests use; each test database is created fresh on it and dropped after. */
export const TEST_POSTGRES_URL = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

let counter = 0;

async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

export interface TestDatabase extends DatabaseHandle {
  /** Connection string of the PostgreSQL test database (postgres only). */
  url?: string;
}

/** A fresh, migrated, empty database of the given dialect. */
export async function openTestDatabase(dialect: Dialect): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    const handle = openDatabase({ sqlitePath: ':memory:' });
    await migrateToLatest(handle.db, handle.dialect);
    return handle;
  }
  if (!(await postgresReachable())) {
    throw new Error(`PostgreSQL is not reachable at ${TEST_POSTGRES_URL}: start it (see README) or set TEST_DATABASE_URL`);
  }
  const name = `besa_test_${process.pid}_${Date.now()}_${counter++}`;
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  const handle = openDatabase({ databaseUrl: url.toString(), poolSize: 4 });
  await migrateToLatest(handle.db, handle.dialect);
  return {
    ...handle,
    url: url.toString(),
    async destroy() {
      await handle.destroy();
      const drop = new pg.Client({ connectionString: TEST_POSTGRES_URL });
      await drop.connect();
      await drop.query(`drop database if exists ${name} with (force)`);
      await drop.end();
    },
  };
}

/**
 * Runs a suite once per database. `get()` gives the open database inside tests.
 * An unreachable PostgreSQL fails the suite; it is never skipped.
 */
export function describeEachDatabase(name: string, suite: (get: () => TestDatabase) => void): void {
  for (const dialect of DIALECTS) {
    describe(`${name} [${dialect}]`, () => {
      let handle: TestDatabase | undefined;
      before(async () => {
        handle = await openTestDatabase(dialect);
      });
      after(async () => {
        await handle?.destroy();
      });
      suite(() => {
        if (!handle) throw new Error('test database not open');
        return handle;
      });
    });
  }
}
