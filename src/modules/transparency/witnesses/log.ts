/** The log side of witnessing (issue 14): asking witnesses, storing and serving their cosignatures. */
export { askWitnesses, type AskOptions, type WitnessOutcome } from './cosign.js';
export { checkpointCommitted, startWitnessCatchUp, WITNESS_CATCH_UP_MS } from './trigger.js';
export { checkpointWitnessing, cosignedCheckpointNote, witnessRoutes, witnessSummary, type WitnessSummary } from './served.js';
export { WITNESS_TIMEOUT_MS } from './client.js';
