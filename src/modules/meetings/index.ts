import { translate } from '../../i18n/index.js';
import { LOCALES } from '../../i18n/locales.js';
import { parseTranslatable, serializeTranslatable, type Translatable } from '../../lib/translatable.js';
import { defineModule } from '../manifest.js';
import meetingsMessagesBundle from './messages.js';
import { meetingAdminRoutes } from './admin-routes.js';
import { meetingPublicRoutes } from './public-routes.js';
import { locateMeeting, meetingSearchRows } from './queries.js';

/** Meetings of the bodies and of the jurisdiction: agenda, minutes, attendance, decisions, action items, calendar feeds, reminders. */
export { default as meetingsMessages } from './messages.js';
export { canManageMeetings, canManageSomeMeetings } from './policy.js';
export { remindUpcomingMeetings, type MeetingReminderOptions } from './commands.js';

/** A meeting's title; without one, the name of its kind in every language. */
function searchTitle(raw: string, kind: string): string {
  const title = parseTranslatable(raw);
  if (Object.keys(title).length) return raw;
  const named: Translatable = {};
  for (const locale of LOCALES) named[locale] = translate(locale, `meetings.kind.${kind}` as never);
  return serializeTranslatable(named);
}

export const manifest = defineModule({
  name: 'meetings',
  messages: [meetingsMessagesBundle],
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
        title: searchTitle(r.title, r.kind),
        path: `/${jurisdiction.slug}/meetings/${r.id}`,
        body: body(r.title, r.minutes, ...r.texts),
        is_demo: r.is_demo === 1 ? 1 : 0,
      }));
    },
  },
  history: [
    {
      kind: 'meeting',
      entityType: 'meeting',
      locate: (db, id) => locateMeeting(db, id),
      describe: { label: 'meetings.search.kind', title: 'meetings.history' },
    },
  ],
});
