import { defineModule } from '../manifest.js';
import { transparencyApiRoutes, transparencyPageRoutes } from './routes.js';
import { transparencyTileRoutes } from './tile-routes.js';
import { witnessRoutes } from './witnesses/served.js';
import { witnessAdminRoutes } from './witnesses/admin-routes.js';
/** The transparency log: a public, append-only, verifiable history of every published change (RFC 9162-style). */
export { appendToTransparencyLog, ensureTransparencyKey } from './commands.js';
export { verifyTransparencyLog, type VerifyResult } from './verify.js';
export { canonicalJson, entitiesWithHistory, entityHistory, historyKey, latestCheckpoint, type Checkpoint, type Entry, type PublishedChange } from './repository.js';
export { publicChanges } from './summary.js';
export { askWitnesses, checkpointCommitted, startWitnessCatchUp, witnessSummary, type WitnessSummary } from './witnesses/log.js';
export {
  CHECKPOINT_FORMAT,
  checkpointText,
  isKeyChange,
  KEY_ADOPTED,
  KEY_ENTITY,
  KEY_ROTATED,
  originFor,
  processSigningKey,
  publicKeyFromRaw,
  rawPublicKey,
  SigningKeyError,
  useSigningKey,
  type KeyChangeSummary,
} from './keys.js';
export { loadSigningKey, moveSigningKeyOutOfDatabase, prepareSigningKey, type PreparedKey, type SigningKeyConfig } from './signing-key.js';
export { checkpointJson, keyJson, LOG_FORMAT, transparencyApiRoutes, transparencyPageRoutes } from './routes.js';
export { checkPublishedState, describeDifference, type StateDifference, type StateResult } from './state.js';
export {
  describeHistoryCheck,
  latestHistoryCheck,
  recordHistoryCheck,
  runScheduledHistoryCheck,
  verifyExtendsCheckpoint,
  verifyPublishedHistory,
  type HistoryCheck,
  type HistoryProblem,
  type StoredHistoryCheck,
} from './check.js';

/** The transparency log: its JSON API (no language), its page and every module's history pages. */
export const manifest = defineModule({
  name: 'transparency',
  messages: ['transparency'],
  routes: {
    // The JSON API (/transparency/…), then each set of C2SP routes (/transparency/tlog/…), one line each.
    unlocalized: ({ db }) => async (app) => {
      for (const routes of [
        transparencyApiRoutes(db),
        transparencyTileRoutes(db),
        witnessRoutes(db),
      ]) await app.register(routes);
    },
    public: ({ db, publicUrl, modules }) => transparencyPageRoutes(db, publicUrl, { modules }),
    admin: witnessAdminRoutes,
  },
});
