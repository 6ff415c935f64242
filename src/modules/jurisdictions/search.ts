import type { SearchSource } from '../manifest.js';
import { titleJson } from '../search/index.js';

/** The jurisdiction itself is found by its slug, name and description. */
export const jurisdictionSearch: SearchSource = {
  kinds: ['jurisdiction'],
  async documents(db, { id, slug }, body) {
    const j = await db.selectFrom('jurisdictions').select(['id', 'slug', 'name', 'description']).where('id', '=', id).executeTakeFirst();
    if (!j) return [];
    // Titles are indexed twice so that a match in a title ranks above one in a long text.
    return [{ doc_key: `jurisdiction:${j.id}`, kind: 'jurisdiction', title: titleJson(j.name), path: `/${encodeURIComponent(slug)}`, body: body(j.slug, j.name, j.name, j.description), is_demo: 0 }];
  },
};
