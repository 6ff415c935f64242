import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/database.js';
import { NotFoundError } from '../../plugins/errors.js';
import { findSessionUser, SESSION_COOKIE } from '../accounts/index.js';
import { isImage } from './domain.js';
import { canPublishProgressUpdates, canReportOnCommitment } from './policy.js';
import { findFile, reportingInstitutionIds } from './repository.js';

/**
 * Evidence files at /evidence/{id}/{filename}, the same in every language: anyone may read the
 * files of a published update; before publication only the commitment's holders, coordinators
 * and administrators. Served with the type detected at upload, never sniffed by the browser,
 * and as a download unless it is an image.
 */
export function reportingFileRoutes(db: Db) {
  return async function routes(app: FastifyInstance): Promise<void> {
    app.get('/evidence/:id/:filename', async (request, reply) => {
      const { id, filename } = request.params as { id: string; filename: string };
      if (!/^\d{1,12}$/.test(id)) throw new NotFoundError();
      const file = await findFile(db, Number(id));
      if (!file || file.filename !== filename) throw new NotFoundError();
      const published = file.update_status === 'published';
      if (!published) {
        const token = request.cookies[SESSION_COOKIE];
        const user = token ? await findSessionUser(db, token) : undefined;
        const allowed =
          canPublishProgressUpdates(user, file.jurisdiction_id) ||
          canReportOnCommitment(user, file.jurisdiction_id, await reportingInstitutionIds(db, file.commitment_id));
        if (!allowed) throw new NotFoundError();
      }
      const content = Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content);
      const disposition = isImage(file.content_type) ? 'inline' : 'attachment';
      return reply
        .header('content-type', file.content_type)
        .header('content-length', String(content.length))
        .header('content-disposition', `${disposition}; filename="${file.filename}"`)
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', published ? 'public, max-age=86400' : 'private, no-store')
        .send(content);
    });
  };
}
