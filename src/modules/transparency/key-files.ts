import { renameSync } from 'node:fs';
import { dirname } from 'node:path';
import { syncDirectory } from '../../lib/durable.js';

export { syncDirectory };

/** The name the previous key keeps after a rotation: FILE.old-2026-12-05T03-20-00Z. */
export function oldKeyPath(path: string, now = new Date()): string {
  return `${path}.old-${now.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/:/g, '-')}`;
}

/** After the rotation committed: FILE becomes FILE.old-<time>, FILE.next becomes FILE. Returns the old key's new path. */
export function finishRotationFiles(path: string, now = new Date()): string {
  const kept = oldKeyPath(path, now);
  renameSync(path, kept);
  syncDirectory(dirname(path));
  renameSync(`${path}.next`, path);
  syncDirectory(dirname(path));
  return kept;
}
