import { Type, type Static, type TSchema } from 'typebox';

/**
 * The API's schemas (TypeBox, plain JSON Schema 2020-12). Each route names its params, querystring
 * and responses from here: Fastify validates requests and serialises responses with them (a field
 * not in a schema is never sent), and @fastify/swagger writes the OpenAPI document from the same
 * objects, so the description cannot drift from what is served. `$id`s make them components.
 */

const nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

const text = (description: string) => Type.String({ description });
const day = (description: string) => Type.String({ format: 'date', description });
const instant = (description: string) => Type.String({ format: 'date-time', description });

export const Translatable = Type.Object(
  {
    sq: Type.Optional(Type.String()),
    'sr-Latn': Type.Optional(Type.String()),
    'sr-Cyrl': Type.Optional(Type.String()),
    en: Type.Optional(Type.String()),
    fr: Type.Optional(Type.String()),
  },
  { $id: 'Translatable', additionalProperties: false, description: 'A text in several languages: one entry per language it is written in (Serbian Cyrillic is derived from Serbian Latin on the pages).' },
);
const T = Type.Ref('Translatable');

const identity = {
  url: Type.String({ format: 'uri', description: 'The public page of the item (in Albanian, the default language; replace /sq/ by /en/, /fr/, /sr-Latn/ or /sr-Cyrl/).' }),
  path: Type.String({ description: 'The page’s path without the language, e.g. /gjakova/plans/2024-2025.' }),
};

export const Jurisdiction = Type.Object(
  {
    id: Type.Integer({ description: 'Stable numeric identifier.' }),
    slug: text('Public identifier used in addresses.'),
    name: T,
    kind: Type.String({ enum: ['local', 'national'] }),
    countryCode: text('ISO 3166-1 alpha-2 (XK for Kosovo).'),
    description: T,
    website: nullable(Type.String()),
    timeZone: text('IANA time zone its times are shown in.'),
    ...identity,
    updatedAt: instant('Last change of its own fields.'),
  },
  { $id: 'Jurisdiction', additionalProperties: false },
);

export const Institution = Type.Object(
  {
    id: Type.Integer(),
    jurisdictionId: Type.Integer(),
    slug: Type.String(),
    name: T,
    kind: Type.String({ enum: ['government', 'civil_society', 'private', 'international', 'other'] }),
    description: T,
    website: nullable(Type.String()),
    ...identity,
    updatedAt: instant('Last change of its own fields.'),
  },
  { $id: 'Institution', additionalProperties: false },
);

export const PLAN_STATUS = ['announced', 'in_implementation', 'implementation_ended', 'assessed', 'withdrawn'] as const;
export const Plan = Type.Object(
  {
    id: Type.Integer(),
    jurisdictionId: Type.Integer(),
    slug: Type.String(),
    title: T,
    startsOn: day('First day of implementation.'),
    endsOn: day('Last day of implementation.'),
    submittedOn: nullable(day('Day it was submitted to OGP.')),
    withdrawnOn: nullable(day('Day it was withdrawn.')),
    assessedOn: nullable(day('Day its end-of-term assessment was published.')),
    status: Type.String({ enum: [...PLAN_STATUS], description: 'Derived from its dates and events, for today.' }),
    foreword: T,
    leadInstitutionIds: Type.Array(Type.Integer()),
    ...identity,
    isDemo: Type.Boolean({ description: 'Demonstration data, not real.' }),
    updatedAt: instant('Last change of its own fields.'),
  },
  { $id: 'Plan', additionalProperties: false },
);

export const COMMITMENT_STATUS = ['not_started', 'in_progress', 'delayed', 'completed', 'cancelled', 'no_milestones', 'ended'] as const;
export const Commitment = Type.Object(
  {
    id: Type.Integer(),
    planId: Type.Integer(),
    jurisdictionId: Type.Integer(),
    code: text('OGP commitment code, e.g. XKGJA0001.'),
    title: T,
    problem: T,
    statusQuo: T,
    action: T,
    contribution: T,
    longTermGoal: T,
    ogpValues: Type.Array(Type.String()),
    policyAreas: Type.Array(Type.String()),
    startsOn: day('Start of its implementation period.'),
    endsOn: day('End of its implementation period.'),
    status: Type.String({ enum: [...COMMITMENT_STATUS], description: 'Derived from its milestones and dates, for today.' }),
    progress: nullable(Type.Number({ minimum: 0, maximum: 1, description: 'Weighted share of completed milestones (cancelled ones left out).' })),
    institutions: Type.Array(
      Type.Object({ id: Type.Integer(), role: Type.String({ description: 'lead, supporting, or involved where the sources name no lead.' }) }, { additionalProperties: false }),
    ),
    ...identity,
    isDemo: Type.Boolean(),
    updatedAt: instant('Last change of its own fields.'),
  },
  { $id: 'Commitment', additionalProperties: false },
);

export const MILESTONE_STATUS = ['not_started', 'in_progress', 'delayed', 'completed', 'cancelled'] as const;
export const Milestone = Type.Object(
  {
    id: Type.Integer(),
    commitmentId: Type.Integer(),
    planId: Type.Integer(),
    jurisdictionId: Type.Integer(),
    code: text('e.g. XKGJA0001.2'),
    title: T,
    expectedOutput: T,
    indicator: T,
    responsibleInstitutionId: nullable(Type.Integer()),
    startsOn: nullable(day('Planned start.')),
    dueOn: day('Planned end.'),
    status: Type.String({ enum: [...MILESTONE_STATUS], description: 'As its latest published progress update says.' }),
    completedOn: nullable(day('Day it was completed.')),
    cancelledOn: nullable(day('Day it was cancelled.')),
    weight: Type.Number(),
    ...identity,
    isDemo: Type.Boolean(),
    updatedAt: instant('Last change.'),
  },
  { $id: 'Milestone', additionalProperties: false },
);

export const UpdateItem = Type.Object(
  {
    milestoneId: Type.Integer(),
    milestoneCode: Type.String(),
    status: Type.String({ enum: [...MILESTONE_STATUS] }),
    completion: Type.String(),
    narrative: T,
    obstacles: Type.Array(Type.String()),
    obstacleNote: T,
    links: Type.Array(Type.String()),
  },
  { $id: 'UpdateItem', additionalProperties: false },
);

export const EvidenceFile = Type.Object(
  {
    id: Type.Integer(),
    milestoneId: nullable(Type.Integer()),
    filename: Type.String(),
    contentType: Type.String(),
    size: Type.Integer(),
    sha256: Type.String(),
    url: Type.String({ format: 'uri' }),
  },
  { $id: 'EvidenceFile', additionalProperties: false },
);

export const ProgressUpdate = Type.Object(
  {
    id: Type.Integer(),
    commitmentId: Type.Integer(),
    commitmentCode: Type.String(),
    planId: Type.Integer(),
    jurisdictionId: Type.Integer(),
    cycle: Type.Object(
      { number: Type.Integer(), label: T, periodStart: day('First day reported on.'), periodEnd: day('Last day reported on.'), dueOn: day('Day the report was due.') },
      { additionalProperties: false },
    ),
    summary: T,
    firstSubmittedAt: nullable(instant('When it was first submitted for review.')),
    publishedAt: instant('When it was published.'),
    items: Type.Array(Type.Ref('UpdateItem')),
    files: Type.Array(Type.Ref('EvidenceFile')),
    ...identity,
    isDemo: Type.Boolean(),
  },
  { $id: 'ProgressUpdate', additionalProperties: false },
);

export const LogEntry = Type.Object(
  {
    index: Type.Integer({ minimum: 0, description: 'Position in the transparency log (RFC 9162 leaf index).' }),
    occurredAt: instant('When the change was published.'),
    action: Type.String(),
    entityType: Type.String(),
    entityId: nullable(Type.Integer()),
    role: text('The role that acted (never a person).'),
    summary: Type.Object({}, { additionalProperties: true, description: 'The published values, as logged.' }),
    leafHash: text('SHA-256 of the leaf, hex.'),
  },
  { $id: 'LogEntry', additionalProperties: false },
);

export const Problem = Type.Object(
  {
    type: Type.String({ description: 'A URI naming the kind of problem (about:blank: the HTTP status says it).' }),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.Optional(Type.String()),
    errors: Type.Optional(
      Type.Array(
        Type.Object({ field: Type.String(), code: Type.String(), message: Type.String() }, { additionalProperties: false }),
        { description: 'Field errors of a refused request (422, 400).' },
      ),
    ),
  },
  { $id: 'Problem', additionalProperties: false, description: 'RFC 9457 problem details.' },
);

/** A list page: the items, and the address and cursor of the next page (null on the last). */
export function Page(item: string) {
  return Type.Object(
    {
      items: Type.Array(Type.Ref(item)),
      next: nullable(Type.String({ description: 'Address of the next page (relative to the API’s origin); null on the last page. A request looks at 5,000 rows at most, so a filter that keeps few may answer a short or even empty page with a next address: follow it until next is null.' })),
      nextCursor: nullable(Type.String({ description: 'Opaque cursor of the next page (null on the last); as for next, a page may be short or empty and still have one.' })),
    },
    { additionalProperties: false },
  );
}

export const MAX_LIMIT = 200;
export const DEFAULT_LIMIT = 50;

export const paging = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT, description: `Items per page, at most ${MAX_LIMIT}.` })),
  cursor: Type.Optional(Type.String({ maxLength: 200, description: 'The nextCursor of the previous page.' })),
  changed_since: Type.Optional(Type.String({ format: 'date-time', description: 'Only items changed (for updates: published; for the log: logged) at or after this instant, e.g. 2025-01-31T00:00:00Z.' })),
};
const id = (description: string) => Type.Optional(Type.Integer({ minimum: 1, maximum: 2_147_483_647, description }));
export const filters = {
  jurisdiction: id('Only items of this jurisdiction (its id).'),
  plan: id('Only items of this action plan (its id).'),
  institution: id('Only items of this institution (its id): commitments it leads or supports, milestones it is responsible for.'),
  commitment: id('Only items of this commitment (its id).'),
};

export const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2_147_483_647, description: 'The item’s numeric id.' }) });
export const IndexParams = Type.Object({ index: Type.Integer({ minimum: 0, maximum: 2_147_483_647, description: 'The entry’s index in the log.' }) });

/** The write route's body: what the web form of a progress update holds, as JSON (no files). */
export const UpdateBody = Type.Object(
  {
    cycle: Type.Optional(Type.Integer({ minimum: 1, maximum: 9999, description: 'The reporting cycle’s number; the plan’s open cycle when there is exactly one.' })),
    language: Type.String({ enum: ['sq', 'sr-Latn', 'en', 'fr'], description: 'The language the texts are written in.' }),
    summary: Type.Optional(Type.String({ maxLength: 20_000 })),
    items: Type.Array(
      Type.Object(
        {
          milestone: Type.Integer({ minimum: 1, maximum: 2_147_483_647, description: 'The milestone’s id (one of the commitment’s).' }),
          status: Type.String({ maxLength: 50, description: 'not_started, in_progress, delayed, completed or cancelled.' }),
          completion: Type.String({ maxLength: 50, description: 'The completion level (as on the form).' }),
          narrative: Type.Optional(Type.String({ maxLength: 20_000 })),
          obstacles: Type.Optional(Type.Array(Type.String({ maxLength: 50 }), { maxItems: 20 })),
          obstacleNote: Type.Optional(Type.String({ maxLength: 2_000 })),
          links: Type.Optional(Type.Array(Type.String({ maxLength: 2_000 }), { maxItems: 50 })),
        },
        { additionalProperties: false },
      ),
      { maxItems: 200 },
    ),
    submit: Type.Optional(Type.Boolean({ default: false, description: 'true: submit for review (as the form’s Submit button); false: save a draft.' })),
  },
  { additionalProperties: false },
);
export type UpdateBodyType = Static<typeof UpdateBody>;

export const CreatedUpdate = Type.Object(
  {
    id: Type.Integer(),
    commitmentId: Type.Integer(),
    cycle: Type.Integer(),
    status: Type.String({ enum: ['draft', 'submitted'] }),
    reviewUrl: Type.String({ format: 'uri', description: 'The update in the administration (for people who sign in).' }),
  },
  { $id: 'CreatedUpdate', additionalProperties: false },
);

/** Every shared schema, added to the API’s Fastify context so `$ref`s resolve and the document lists them as components. */
export const SHARED_SCHEMAS = [Translatable, UpdateItem, EvidenceFile, Jurisdiction, Institution, Plan, Commitment, Milestone, ProgressUpdate, LogEntry, Problem, CreatedUpdate] as const;
