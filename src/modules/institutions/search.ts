import type { SearchSource } from '../manifest.js';
import { titleJson } from '../search/index.js';

/** A jurisdiction's institutions, by name and description. */
export const institutionSearch: SearchSource = {
  kinds: ['institution'],
  async documents(db, jurisdiction, body) {
    const rows = await db.selectFrom('institutions').select(['id', 'slug', 'name', 'description']).where('jurisdiction_id', '=', jurisdiction.id).orderBy('id').execute();
    const base = `/${encodeURIComponent(jurisdiction.slug)}/institutions/`;
    return rows.map((institution) => ({
      doc_key: `institution:${institution.id}`,
      kind: 'institution',
      title: titleJson(institution.name),
      path: base + encodeURIComponent(institution.slug),
      body: body(institution.name, institution.name, institution.description),
      is_demo: 0 as const,
    }));
  },
};
