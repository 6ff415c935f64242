import type { PageContext } from '../../ui/context.js';
import { CONFIRM_HOURS } from './privacy.js';

/** Kosovo's Law on the Protection of Personal Data (as the privacy notice cites it). */
const LAW = '06/L-082';

/**
 * The participation part of the privacy notice (`/{locale}/privacy#participation`): what is
 * collected when someone comments, proposes, flags or subscribes, why, that addresses and IPs are
 * never published or logged, how long unconfirmed items are kept, the erasure right and the law.
 * Rendered by the pages module's privacy notice (a cached page: nothing per visitor).
 */
export function ParticipationPrivacyNotice({ ctx }: { ctx: PageContext }): JSX.Element {
  const { t } = ctx;
  return (
    <section id="participation" aria-labelledby="participation-title">
      <h2 id="participation-title" safe>{t('contribution.notice.title')}</h2>
      <p safe>{t('contribution.notice.collected')}</p>
      <p safe>{t('contribution.notice.why')}</p>
      <ul>
        <li safe>{t('contribution.notice.never')}</li>
        <li safe>{t('contribution.notice.robots')}</li>
        <li safe>{t('contribution.notice.unconfirmed', { hours: CONFIRM_HOURS })}</li>
        <li safe>{t('contribution.notice.erasure')}</li>
        <li safe>{t('contribution.notice.moderation')}</li>
      </ul>
      <p safe>{t('contribution.notice.law', { law: LAW })}</p>
    </section>
  );
}
