import type { FastifyInstance } from 'fastify';
import { isLocale } from '../../i18n/locales.js';
import { pickText } from '../../lib/translatable.js';
import { NotFoundError } from '../../plugins/errors.js';
import { pageContext } from '../../plugins/locale.js';
import { findBrand } from '../jurisdictions/index.js';
import type { ModuleContext } from '../manifest.js';
import { meetingsCalendar } from './ical.js';
import { findBody, findJurisdiction, findMeetingDetail, listMeetings } from './queries.js';
import { MeetingPage, MeetingsPage } from './public-views.js';
import { translate } from '../../i18n/index.js';

/** Public pages and calendar feeds of meetings, under /{locale}. */
export function meetingPublicRoutes({ db, publicUrl }: ModuleContext) {
  return async function routes(app: FastifyInstance): Promise<void> {
    app.get('/:jurisdiction/meetings', (request, reply) => {
      const { jurisdiction: slug } = request.params as { jurisdiction: string };
      return app.pageCache.serve(request, reply, async ({ today }) => {
        const jurisdiction = await findJurisdiction(db, slug);
        if (!jurisdiction) throw new NotFoundError();
        const meetings = await listMeetings(db, jurisdiction.id);
        return MeetingsPage({ ctx: pageContext(request, { brand: await findBrand(db, slug) }), jurisdiction, meetings, today }) as string;
      });
    });

    app.get('/:jurisdiction/bodies/:body/meetings', (request, reply) => {
      const { jurisdiction: slug, body: bodySlug } = request.params as { jurisdiction: string; body: string };
      return app.pageCache.serve(request, reply, async ({ today }) => {
        const jurisdiction = await findJurisdiction(db, slug);
        if (!jurisdiction) throw new NotFoundError();
        const body = await findBody(db, jurisdiction.id, bodySlug);
        if (!body) throw new NotFoundError();
        const meetings = await listMeetings(db, jurisdiction.id, body.id);
        return MeetingsPage({ ctx: pageContext(request, { brand: await findBrand(db, slug) }), jurisdiction, body, meetings, today }) as string;
      });
    });

    app.get('/:jurisdiction/meetings/:id', (request, reply) => {
      const { jurisdiction: slug, id } = request.params as { jurisdiction: string; id: string };
      if (!/^\d{1,9}$/.test(id)) throw new NotFoundError();
      return app.pageCache.serve(request, reply, async () => {
        const jurisdiction = await findJurisdiction(db, slug);
        if (!jurisdiction) throw new NotFoundError();
        const meeting = await findMeetingDetail(db, jurisdiction, Number(id));
        if (!meeting) throw new NotFoundError();
        return MeetingPage({ ctx: pageContext(request, { brand: await findBrand(db, slug) }), m: meeting }) as string;
      });
    });

    // iCalendar feeds (RFC 5545): the same events in the page's language.
    app.get('/:jurisdiction/meetings.ics', async (request, reply) => {
      const { locale, jurisdiction: slug } = request.params as { locale: string; jurisdiction: string };
      if (!isLocale(locale)) throw new NotFoundError();
      const jurisdiction = await findJurisdiction(db, slug);
      if (!jurisdiction) throw new NotFoundError();
      const meetings = await listMeetings(db, jurisdiction.id);
      const name = `${translate(locale, 'meetings.list.title')} · ${pickText(jurisdiction.name, locale) || slug}`;
      return reply
        .type('text/calendar; charset=utf-8')
        .header('content-disposition', `inline; filename="${slug}-meetings.ics"`)
        .send(meetingsCalendar({ locale, name, publicUrl, jurisdictionSlug: slug, meetings }));
    });

    app.get('/:jurisdiction/bodies/:body/meetings.ics', async (request, reply) => {
      const { locale, jurisdiction: slug, body: bodySlug } = request.params as { locale: string; jurisdiction: string; body: string };
      if (!isLocale(locale)) throw new NotFoundError();
      const jurisdiction = await findJurisdiction(db, slug);
      if (!jurisdiction) throw new NotFoundError();
      const body = await findBody(db, jurisdiction.id, bodySlug);
      if (!body) throw new NotFoundError();
      const meetings = await listMeetings(db, jurisdiction.id, body.id);
      const name = translate(locale, 'meetings.list.bodyTitle', { body: pickText(body.name, locale) || body.slug });
      return reply
        .type('text/calendar; charset=utf-8')
        .header('content-disposition', `inline; filename="${slug}-${body.slug}-meetings.ics"`)
        .send(meetingsCalendar({ locale, name, publicUrl, jurisdictionSlug: slug, meetings }));
    });
  };
}
