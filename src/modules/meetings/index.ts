import { serializeTranslatable } from '../../lib/translatable.js';
import { meetingsFeed } from './feed.js';
import { meetingsRecent, meetingTitleIn } from './recent.js';
import { meetingHistoryWords } from './history-words.js';
import { defineModule } from '../manifest.js';
import { meetingAdminRoutes } from './admin-routes.js';
import { meetingPublicRoutes } from './public-routes.js';
import { locateMeeting, meetingSearchRows } from './queries.js';

/** Meetings of the bodies and of the jurisdiction: agenda, minutes, attendance, decisions, action items, calendar feeds, reminders. */
export { canManageMeetings, canManageSomeMeetings } from './policy.js';
export { remindUpcomingMeetings, type MeetingReminderOptions } from './commands.js';

export const manifest = defineModule({
  name: 'meetings',
  messages: ['meetings'],
  routes: {
    content: meetingPublicRoutes,
    admin: meetingAdminRoutes,
  },
  search: {
    kinds: ['meeting'],
    labels: { meeting: 'meetings.search.kind' },
    async documents(db, jurisdiction, body) {
      const rows = await meetingSearchRows(db, jurisdiction.id);
      return rows.map((r) => ({
        doc_key: `meeting:${r.id}`,
        kind: 'meeting',
        title: serializeTranslatable(meetingTitleIn(r.title, r.kind)),
        path: `/${jurisdiction.slug}/meetings/${r.id}`,
        body: body(r.title, r.minutes, ...r.texts),
        is_demo: r.is_demo === 1 ? 1 : 0,
      }));
    },
  },
  recent: meetingsRecent,
  feeds: meetingsFeed,
  history: [
    {
      kind: 'meeting',
      entityType: 'meeting',
      locate: (db, id) => locateMeeting(db, id),
      describe: meetingHistoryWords,
    },
  ],
});
