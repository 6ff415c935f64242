import { defineModule, type SearchSource } from '../manifest.js';
import { participationFeed } from './feed.js';
import { consultationAdminRoutes, consultationPublicRoutes } from './consultation-routes.js';
import { contributionContentRoutes, privacyPublicRoutes } from './contribution-routes.js';
import { moderationAdminRoutes, responseAdminRoutes, responseContentRoutes } from './response-routes.js';
import { consultationHistory, consultationRecent, consultationSearch } from './consultation-sources.js';
import { contributionHistory, contributionRecent, contributionSearch } from './contribution-sources.js';
import { responseHistory, responseRecent, responseSearch } from './response-sources.js';

/**
 * Public participation (issue 11): consultations (consultation-*), the contributions citizens make
 * to them with double opt-in, rate limits and flags, and the privacy pages (contribution-*), the
 * moderation queue and the reasoned responses with their public table and CSV (response-*).
 * Subscriptions and notifications are their own module (modules/subscriptions).
 */
export { findConsultation, findConsultationById, consultationStatus, consultationPath, consultationsPath, type ConsultationView, type ConsultationStatus } from './consultation-queries.js';
export { pdb, type ParticipationTables } from './tables.js';

const parts = [consultationSearch, contributionSearch, responseSearch];
const search: SearchSource = {
  kinds: parts.flatMap((p) => p.kinds),
  labels: Object.assign({}, ...parts.map((p) => p.labels ?? {})),
  documents: async (db, jurisdiction, body) => (await Promise.all(parts.map((p) => p.documents(db, jurisdiction, body)))).flat(),
};

export const manifest = defineModule({
  name: 'participation',
  messages: ['consultations', 'contribution', 'moderation', 'responses'],
  routes: {
    public: ({ db, publicUrl }) => privacyPublicRoutes(db, publicUrl),
    admin: ({ db, publicUrl }) =>
      async function participationAdmin(app) {
        await app.register(consultationAdminRoutes(db, publicUrl));
        await app.register(moderationAdminRoutes(db, publicUrl));
        await app.register(responseAdminRoutes(db, publicUrl));
      },
    content: ({ db, publicUrl }) =>
      async function participationContent(app) {
        await app.register(contributionContentRoutes(db, publicUrl));
        await app.register(responseContentRoutes(db, publicUrl));
        await app.register(consultationPublicRoutes(db));
      },
  },
  search,
  recent: {
    recent: async (db, jurisdictionId, limit) =>
      (await Promise.all([consultationRecent, contributionRecent, responseRecent].map((r) => r.recent(db, jurisdictionId, limit))))
        .flat()
        .sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0))
        .slice(0, limit),
  },
  history: [...consultationHistory, ...contributionHistory, ...responseHistory],
  feeds: participationFeed,
});
