import { reportingRecent } from './recent.js';
import { reportingFeed } from './feed.js';
import { defineModule } from '../manifest.js';
import { reportingAdminRoutes } from './admin-routes.js';
import { reportingFileRoutes } from './file-routes.js';
import { progressUpdateSearch } from './search.js';
/** Reporting: cycles per plan, progress updates with evidence, the review workflow, reminders and the public timeline. */
export { reportingAdminRoutes } from './admin-routes.js';
export { reportingFileRoutes } from './file-routes.js';
export { countsOf, reportingTasksOf, type ReportingCounts } from './admin-tasks.js';
export {
  generateCycles,
  updateCycle,
  saveProgressUpdate,
  returnProgressUpdate,
  publishProgressUpdate,
  remindDueReports,
  InvalidInputError as ReportingInputError,
  type ReminderLog,
  type ReminderOptions,
} from './commands.js';
export {
  listPublishedUpdates,
  listRecentPublishedUpdates,
  listLatestPublishedUpdates,
  countPublishedUpdates,
  listReportPunctuality,
  type PublishedUpdate,
  type RecentUpdate,
  type PunctualityRow,
} from './queries.js';
export { ProgressUpdatesTimeline, ReportPunctuality } from './public-views.js';
export { canOpenReportingOverview, canManageReportingCycles, canPublishProgressUpdates, canReportOnCommitment, canReportOnInstitution } from './policy.js';
export { COMPLETION_LEVELS, OBSTACLES, defaultCycles } from './domain.js';

export const manifest = defineModule({
  name: 'reporting',
  messages: ['reporting'],
  routes: {
    // Evidence files of progress updates, the same in every language.
    unlocalized: ({ db }) => reportingFileRoutes(db),
    admin: ({ db, publicUrl }) => reportingAdminRoutes(db, { publicUrl }),
  },
  search: progressUpdateSearch,
  recent: reportingRecent,
  feeds: reportingFeed,
});
