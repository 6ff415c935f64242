import type { Executor } from '../../db/database.js';
import { parseTranslatable, type Translatable } from '../../lib/translatable.js';
import type { BodiesTables } from '../bodies/tables.js';
import type { ConsultationTable } from '../participation/consultation-tables.js';
import type { Topic, TopicType } from './notify.js';

export const TOPIC_TYPES: readonly TopicType[] = ['jurisdiction', 'plan', 'commitment', 'consultation', 'body'];

/** `consultation:12` → a topic; anything else → undefined. */
export function parseTopic(value: unknown): Topic | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^(jurisdiction|plan|commitment|consultation|body):([1-9]\d{0,8})$/.exec(value.trim());
  if (!match) return undefined;
  return { type: match[1] as TopicType, id: Number(match[2]) };
}

export function topicParam(topic: Topic): string {
  return `${topic.type}:${topic.id}`;
}

/** What a subscriber follows, as the subscription page and the messages name it. */
export interface TopicView {
  topic: Topic;
  jurisdictionId: number;
  jurisdictionName: Translatable;
  /** Its name or title per locale. */
  title: Translatable;
  /** A commitment's code. */
  code?: string;
  /** The public page's path after the locale. */
  path: string;
  isDemo: boolean;
}

type TopicTables = BodiesTables & { consultations: ConsultationTable };

/**
 * The public thing a topic names, or undefined when there is none (or it is not public: a
 * consultation not yet published). Read straight from the tables, so that this module needs none
 * of the modules whose pages show its link.
 */
export async function findTopic(executor: Executor, topic: Topic): Promise<TopicView | undefined> {
  const db = executor.withTables<TopicTables>();
  const j = (slug: string) => `/${encodeURIComponent(slug)}`;
  switch (topic.type) {
    case 'jurisdiction': {
      const row = await db.selectFrom('jurisdictions').select(['id', 'slug', 'name']).where('id', '=', topic.id).executeTakeFirst();
      if (!row) return undefined;
      const name = parseTranslatable(row.name);
      return { topic, jurisdictionId: row.id, jurisdictionName: name, title: name, path: j(row.slug), isDemo: false };
    }
    case 'plan': {
      const row = await db
        .selectFrom('action_plans')
        .innerJoin('jurisdictions', 'jurisdictions.id', 'action_plans.jurisdiction_id')
        .select(['action_plans.slug', 'action_plans.title', 'action_plans.is_demo', 'jurisdictions.id as jid', 'jurisdictions.slug as jslug', 'jurisdictions.name as jname'])
        .where('action_plans.id', '=', topic.id)
        .executeTakeFirst();
      if (!row) return undefined;
      return {
        topic,
        jurisdictionId: row.jid,
        jurisdictionName: parseTranslatable(row.jname),
        title: parseTranslatable(row.title),
        path: `${j(row.jslug)}/plans/${encodeURIComponent(row.slug)}`,
        isDemo: row.is_demo === 1,
      };
    }
    case 'commitment': {
      const row = await db
        .selectFrom('commitments')
        .innerJoin('action_plans', 'action_plans.id', 'commitments.action_plan_id')
        .innerJoin('jurisdictions', 'jurisdictions.id', 'action_plans.jurisdiction_id')
        .select(['commitments.code', 'commitments.title', 'action_plans.slug as pslug', 'action_plans.is_demo', 'jurisdictions.id as jid', 'jurisdictions.slug as jslug', 'jurisdictions.name as jname'])
        .where('commitments.id', '=', topic.id)
        .executeTakeFirst();
      if (!row) return undefined;
      return {
        topic,
        jurisdictionId: row.jid,
        jurisdictionName: parseTranslatable(row.jname),
        title: parseTranslatable(row.title),
        code: row.code,
        path: `${j(row.jslug)}/plans/${encodeURIComponent(row.pslug)}/commitments/${encodeURIComponent(row.code)}`,
        isDemo: row.is_demo === 1,
      };
    }
    case 'consultation': {
      const row = await db
        .selectFrom('consultations')
        .innerJoin('jurisdictions', 'jurisdictions.id', 'consultations.jurisdiction_id')
        .select(['consultations.slug', 'consultations.title', 'consultations.is_demo', 'jurisdictions.id as jid', 'jurisdictions.slug as jslug', 'jurisdictions.name as jname'])
        .where('consultations.id', '=', topic.id)
        .where('consultations.published_at', 'is not', null)
        .executeTakeFirst();
      if (!row) return undefined;
      return {
        topic,
        jurisdictionId: row.jid,
        jurisdictionName: parseTranslatable(row.jname),
        title: parseTranslatable(row.title),
        path: `${j(row.jslug)}/consultations/${encodeURIComponent(row.slug)}`,
        isDemo: row.is_demo === 1,
      };
    }
    case 'body': {
      const row = await db
        .selectFrom('bodies')
        .innerJoin('jurisdictions', 'jurisdictions.id', 'bodies.jurisdiction_id')
        .select(['bodies.slug', 'bodies.name', 'bodies.is_demo', 'jurisdictions.id as jid', 'jurisdictions.slug as jslug', 'jurisdictions.name as jname'])
        .where('bodies.id', '=', topic.id)
        .executeTakeFirst();
      if (!row) return undefined;
      return {
        topic,
        jurisdictionId: row.jid,
        jurisdictionName: parseTranslatable(row.jname),
        title: parseTranslatable(row.name),
        path: `${j(row.jslug)}/bodies/${encodeURIComponent(row.slug)}`,
        isDemo: row.is_demo === 1,
      };
    }
  }
}
