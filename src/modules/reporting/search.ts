import { hasMessage, translate, type MessageKey } from '../../i18n/index.js';
import { parseList } from '../../lib/translatable.js';
import type { SearchDocumentDraft, SearchSource } from '../manifest.js';
import { updateTitle } from '../search/index.js';
import type { ReportingTables } from './tables.js';

/** The locales messages are written in (Serbian Cyrillic is derived from Serbian Latin). */
const MESSAGE_LOCALES = ['sq', 'sr-Latn', 'en', 'fr'] as const;

/** The labels of the obstacles named in an update item, in every language ("other" is described in the note). */
function obstacleLabels(raw: string): string[] {
  const out: string[] = [];
  for (const code of parseList(raw)) {
    if (code === 'other') continue;
    const key = `reporting.obstacle.${code}`;
    for (const locale of MESSAGE_LOCALES) if (hasMessage(locale, key)) out.push(translate(locale, key as MessageKey));
  }
  return out;
}

const PUBLISHED = 'published';

/**
 * Published progress updates (never drafts, submitted or returned ones): the commitment's
 * summary, and each milestone's narrative and obstacles, each where the commitment page's
 * timeline shows it (`#update-{id}`, `#update-{id}-{milestone id}`). Only their own text is
 * indexed: the milestone or commitment itself is found by its own document.
 */
export const progressUpdateSearch: SearchSource = {
  kinds: ['update'],
  async documents(db, jurisdiction, body) {
    const reporting = db.withTables<ReportingTables>();
    const updates = await reporting
      .selectFrom('progress_updates as u')
      .innerJoin('reporting_cycles as rc', 'rc.id', 'u.cycle_id')
      .innerJoin('commitments as c', 'c.id', 'u.commitment_id')
      .innerJoin('action_plans as p', 'p.id', 'c.action_plan_id')
      .select(['u.id', 'u.summary', 'rc.number as cycle_number', 'rc.label as cycle_label', 'c.code', 'c.title', 'p.slug as plan_slug', 'p.is_demo as plan_is_demo'])
      .where('p.jurisdiction_id', '=', jurisdiction.id)
      .where('u.status', '=', PUBLISHED)
      .orderBy('u.id')
      .execute();
    if (updates.length === 0) return [];
    const items = await reporting
      .selectFrom('progress_update_items as pi')
      .innerJoin('progress_updates as u', 'u.id', 'pi.update_id')
      .innerJoin('milestones as m', 'm.id', 'pi.milestone_id')
      .innerJoin('commitments as c', 'c.id', 'u.commitment_id')
      .innerJoin('action_plans as p', 'p.id', 'c.action_plan_id')
      .select(['pi.id', 'pi.update_id', 'pi.milestone_id', 'pi.narrative', 'pi.obstacles', 'pi.obstacle_note', 'm.title as milestone_title', 'm.is_demo as milestone_is_demo'])
      .where('p.jurisdiction_id', '=', jurisdiction.id)
      .where('u.status', '=', PUBLISHED)
      .orderBy('pi.update_id')
      .orderBy('pi.id')
      .execute();
    const itemsByUpdate = new Map<number, typeof items>();
    for (const item of items) {
      const list = itemsByUpdate.get(item.update_id);
      if (list) list.push(item);
      else itemsByUpdate.set(item.update_id, [item]);
    }
    const base = `/${encodeURIComponent(jurisdiction.slug)}/plans/`;
    const docs: SearchDocumentDraft[] = [];
    for (const u of updates) {
      const commitmentPath = `${base}${encodeURIComponent(u.plan_slug)}/commitments/${encodeURIComponent(u.code)}`;
      const cycle = { number: u.cycle_number, label: u.cycle_label };
      const demoPlan = u.plan_is_demo === 1;
      const summary = body(u.summary);
      if (summary) {
        docs.push({ doc_key: `update:${u.id}`, kind: 'update', title: updateTitle(u.title, cycle), path: `${commitmentPath}#update-${u.id}`, body: summary, is_demo: demoPlan ? 1 : 0 });
      }
      for (const item of itemsByUpdate.get(u.id) ?? []) {
        const text = body(item.narrative, item.obstacle_note, ...obstacleLabels(item.obstacles));
        if (!text) continue;
        docs.push({
          doc_key: `update-item:${item.id}`,
          kind: 'update',
          title: updateTitle(item.milestone_title, cycle),
          path: `${commitmentPath}#update-${u.id}-${item.milestone_id}`,
          body: text,
          is_demo: item.milestone_is_demo === 1 || demoPlan ? 1 : 0,
        });
      }
    }
    return docs;
  },
};
