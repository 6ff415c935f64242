import type { Executor } from '../../db/database.js';

// STUB (issue 11, moderation and responses helper): tells the jurisdiction's moderators (by e-mail,
// through the outbox, in each one's language) that a contribution waits for them: `new` (pre-moderation)
// or `flagged` (hidden after reaching the consultation's flag threshold).
export async function tellModerators(
  _trx: Executor,
  _what: { jurisdictionId: number; consultationId: number; contributionId: number; reason: 'new' | 'flagged' },
  _publicUrl: string,
): Promise<void> {}
