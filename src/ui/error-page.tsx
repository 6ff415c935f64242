import { escapeHtml } from '@kitajs/html';
import type { MessageKey } from '../i18n/index.js';
import type { PageContext } from './context.js';
import { Layout } from './layout.js';

export type ErrorKind = 'notFound' | 'tooLarge' | 'badRequest' | 'csrf' | 'forbidden' | 'server';

export function ErrorPage({ ctx, kind }: { ctx: PageContext; kind: ErrorKind }): JSX.Element {
  const title = ctx.t(`ui.error.${kind}.title` as MessageKey);
  return (
    <Layout ctx={ctx} title={title}>
      <h1 safe>{title}</h1>
      <p>{escapeHtml(ctx.t(`ui.error.${kind}.body` as MessageKey))}</p>
      {kind === 'notFound' ? (
        <ul>
          <li>
            <a href={`/${ctx.locale}/`}>{escapeHtml(ctx.t('ui.error.notFound.home'))}</a>
          </li>
          <li>
            <a href={`/${ctx.locale}/search`}>{escapeHtml(ctx.t('ui.error.notFound.search'))}</a>
          </li>
        </ul>
      ) : (
        ''
      )}
    </Layout>
  );
}
