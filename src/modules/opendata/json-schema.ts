import { ENTITIES, STORED_LOCALES, type Column } from './entities.js';
import { OPEN_DATA_FORMAT } from './export-json.js';

/**
 * The JSON Schema (2020-12) of `besa-open-data/1`, built from the same entity list the writers use.
 * docs/open-data/v1.schema.json is this, written out (json-schema.test.ts fails when they differ;
 * `node --import tsx src/modules/opendata/json-schema.ts` rewrites it).
 */
export function openDataSchema(): Record<string, unknown> {
  const text = { type: 'string' };
  const translatable = {
    type: 'object',
    description: `A text per language (${STORED_LOCALES.join(', ')}); Serbian Cyrillic is derived from Serbian Latin.`,
    properties: Object.fromEntries(STORED_LOCALES.map((l) => [l, text])),
    additionalProperties: { type: 'string' },
  };
  const columnSchema = (c: Column): Record<string, unknown> => {
    const base =
      c.kind === 'int'
        ? { type: 'integer' }
        : c.kind === 'bool'
          ? { type: 'boolean' }
          : c.kind === 'tr'
            ? { $ref: '#/$defs/translatable' }
            : c.kind === 'list'
              ? { type: 'array', items: { type: 'string' } }
              : { type: 'string' };
    return c.nullable ? { anyOf: [base, { type: 'null' }] } : base;
  };
  const entityDefs = Object.fromEntries(
    ENTITIES.map((e) => [
      e.name,
      {
        type: 'object',
        properties: Object.fromEntries(e.columns.map((c) => [c.name, columnSchema(c)])),
        required: e.columns.map((c) => c.name),
        additionalProperties: true,
      },
    ]),
  );
  const hex64 = { type: 'string', pattern: '^[0-9a-f]{64}$' };
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://besa.example.org/open-data/schema/v1.json',
    title: 'Besa open data, version 1',
    description:
      'One download of a Besa instance or jurisdiction: the public tables (data) and the transparency log (log, the shape of /transparency/log.json, which scripts/verify-log.mjs checks offline). Fields may be added within version 1; a change or removal gets a new major version.',
    type: 'object',
    required: ['format', 'generatedAt', 'publicUrl', 'scope', 'locales', 'data', 'log'],
    properties: {
      format: { const: OPEN_DATA_FORMAT },
      schema: { type: 'string' },
      generatedAt: { type: 'string', format: 'date-time' },
      publicUrl: { type: 'string' },
      scope: {
        oneOf: [
          { type: 'object', properties: { kind: { const: 'instance' } }, required: ['kind'] },
          { type: 'object', properties: { kind: { const: 'jurisdiction' }, slug: { type: 'string' } }, required: ['kind', 'slug'] },
        ],
      },
      locales: { type: 'array', items: { type: 'string' } },
      data: {
        type: 'object',
        required: ENTITIES.map((e) => e.name),
        properties: Object.fromEntries(ENTITIES.map((e) => [e.name, { type: 'array', items: { $ref: `#/$defs/${e.name}` } }])),
      },
      log: {
        type: 'object',
        required: ['format', 'treeSize', 'keys', 'checkpoints', 'entries'],
        properties: {
          format: { const: 'besa-transparency-log/v1' },
          treeSize: { type: 'integer', minimum: 0 },
          keys: {
            type: 'array',
            items: {
              type: 'object',
              required: ['id', 'origin', 'publicKey', 'algorithm'],
              properties: { id: { type: 'integer' }, origin: text, publicKey: text, publicKeyPem: text, vkey: { ...text, description: 'c2sp.org/signed-note verifier key: <origin>+<key ID>+<type 0x01 and public key, base64>' }, algorithm: { const: 'Ed25519' }, createdAt: text },
            },
          },
          checkpoints: {
            type: 'array',
            items: {
              type: 'object',
              required: ['treeSize', 'rootHash', 'issuedAt', 'keyId', 'signature'],
              properties: {
                format: text,
                noteFormat: {
                  enum: [1, 2],
                  description:
                    'What the signature covers. 1 (absent in older downloads): the text "besa-checkpoint/v1\\n<origin>\\n<tree size>\\n<root base64>\\n<issuedAt>\\n". 2: a c2sp.org/tlog-checkpoint "<origin>\\n<tree size>\\n<root base64>\\n", signed as a c2sp.org/signed-note under the key name <origin> (issuedAt is not signed).',
                },
                origin: { type: ['string', 'null'] },
                treeSize: { type: 'integer' },
                rootHash: hex64,
                rootHashBase64: text,
                issuedAt: text,
                keyId: { type: 'integer' },
                signature: text,
                publicKey: { type: ['string', 'null'] },
                text: { type: ['string', 'null'] },
                note: { type: ['string', 'null'], description: 'noteFormat 2: the whole signed note (text, blank line, the log key\'s signature line)' },
                vkey: { type: ['string', 'null'], description: "the signing key's verifier key (c2sp.org/signed-note)" },
              },
            },
          },
          entries: {
            type: 'array',
            items: { type: 'object', required: ['index', 'leaf', 'leafHash'], properties: { index: { type: 'integer', minimum: 0 }, leaf: text, leafHash: hex64 } },
          },
        },
      },
    },
    $defs: { translatable, ...entityDefs },
  };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\/src\//, '/src/'))) {
  const { writeFileSync, mkdirSync } = await import('node:fs');
  const path = new URL('../../../docs/open-data/v1.schema.json', import.meta.url);
  mkdirSync(new URL('.', path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(openDataSchema(), null, 2)}\n`);
}
