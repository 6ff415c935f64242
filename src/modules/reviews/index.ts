/** Reviews: the monitoring body's reviews per commitment and cycle, recommendations with the government's responses and follow-up, monitoring reports. */
import { reviewsFeed } from './feed.js';
import { defineModule } from '../manifest.js';
import { reviewAdminRoutes } from './admin-routes.js';
import { reviewHistory, reviewSearch } from './manifest-sources.js';
import { reviewPublicRoutes } from './public-routes.js';
import { reviewsRecent } from './recent.js';

export { findCommitmentFindings, type CommitmentFindings } from './queries.js';
export { CommitmentMonitoring } from './public-views.js';
export { disagreements, type Disagreement } from './domain.js';
export { canWriteReviews, canRespondToRecommendation } from './policy.js';

export const manifest = defineModule({
  name: 'reviews',
  messages: ['reviews'],
  routes: {
    content: ({ db }) => reviewPublicRoutes(db),
    admin: ({ db }) => reviewAdminRoutes(db),
  },
  search: reviewSearch,
  recent: reviewsRecent,
  feeds: reviewsFeed,
  history: reviewHistory,
});
export { reviewsHomeLinks, ReviewsHomeCard, type ReviewsHomeLinks } from './admin-home.js';
