import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../db/database.js';
import { NotFoundError } from '../../plugins/errors.js';
import { brandStylesheet, findAccentColour, findEmblem } from './branding.js';

/**
 * A jurisdiction's emblem and accent-colour stylesheet, the same in every language:
 * /brand/{slug}/emblem and /brand/{slug}/brand.css. Pages link to them with a version (`?v=`)
 * taken from the content, so they can be cached for a day; the ETag (the content's hash) answers
 * a revalidation with 304. The emblem is served with the type detected at upload and never sniffed.
 */
function notModified(request: FastifyRequest, etag: string): boolean {
  const sent = request.headers['if-none-match'];
  return typeof sent === 'string' && sent.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}

function cached(reply: FastifyReply, etag: string): FastifyReply {
  return reply.header('etag', etag).header('cache-control', 'public, max-age=86400').header('x-content-type-options', 'nosniff');
}

export function jurisdictionBrandRoutes(db: Db) {
  return async function routes(app: FastifyInstance): Promise<void> {
    app.get('/brand/:slug/emblem', async (request, reply) => {
      const { slug } = request.params as { slug: string };
      const emblem = await findEmblem(db, slug);
      if (!emblem) throw new NotFoundError();
      const etag = `"${emblem.sha256}"`;
      cached(reply, etag);
      if (notModified(request, etag)) return reply.code(304).send();
      return reply
        .header('content-type', emblem.contentType)
        .header('content-length', String(emblem.content.length))
        .header('content-disposition', 'inline')
        .send(emblem.content);
    });

    app.get('/brand/:slug/brand.css', async (request, reply) => {
      const { slug } = request.params as { slug: string };
      const colour = await findAccentColour(db, slug);
      if (!colour) throw new NotFoundError();
      const css = brandStylesheet(colour);
      const etag = `"${createHash('sha256').update(css).digest('hex').slice(0, 32)}"`;
      cached(reply, etag);
      if (notModified(request, etag)) return reply.code(304).send();
      return reply.header('content-type', 'text/css; charset=utf-8').send(css);
    });
  };
}
