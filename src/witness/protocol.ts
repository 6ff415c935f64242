export { BadRequest, formatAddCheckpoint, MAX_PROOF_LINES, parseAddCheckpoint, TLOG_SIZE_CONTENT_TYPE, type ParsedAddCheckpoint as AddCheckpointRequest } from '../lib/tlog/witness-protocol.js';
