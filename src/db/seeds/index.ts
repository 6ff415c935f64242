import type { Db } from '../database.js';
import { runCommand, SYSTEM } from '../../modules/audit/index.js';
import { rebuildSearchIndex } from '../../modules/search/index.js';
import { insertGjakova } from './gjakova.js';

export { seedDemo } from './demo.js';
export { generateOgpScale, type GenerateResult } from './generate.js';

/**
 * Loads Gjakova's 2024–2025 plan when the database holds no jurisdiction yet. Returns true when
 * it loaded it. The emptiness check runs inside the command's transaction, and the unique slug
 * stops a second process that raced past it.
 */
export async function seedIfEmpty(db: Db): Promise<boolean> {
  const existing = await db.selectFrom('jurisdictions').select('id').limit(1).executeTakeFirst();
  if (existing) return false;
  return runCommand(db, SYSTEM, async (trx, audit) => {
    const again = await trx.selectFrom('jurisdictions').select('id').limit(1).executeTakeFirst();
    if (again) return false;
    await insertGjakova(trx, audit);
    await rebuildSearchIndex(trx);
    return true;
  });
}
