import assert from 'node:assert/strict';
import { test } from 'node:test';
import { htmlErrors } from '../../../test/html.js';
import { translator } from '../../i18n/index.js';
import { LOCALES } from '../../i18n/locales.js';
import { Layout } from '../../ui/layout.js';
import { ParticipationPrivacyNotice } from './privacy-notice.js';

/**
 * The participation part of the privacy notice, in every locale: valid inside a page, at the
 * `#participation` anchor the forms link to, naming the 48-hour deletion, the law, and (in its own
 * words) that addresses and IPs are never published or logged; no locale is an English copy.
 */
test('the participation privacy notice in every locale', async () => {
  const english = (await ParticipationPrivacyNotice({ ctx: { locale: 'en', t: translator('en'), path: '/privacy' } })) as string;
  assert.ok(english.includes('deleted with its address and the messages sent to it'), 'the outbox forgets an unconfirmed address too');
  assert.ok(english.includes('subscription requests are counted the same way'), 'subscriptions use the same rotating-key limits');
  for (const locale of LOCALES) {
    const ctx = { locale, t: translator(locale), path: '/privacy' };
    const section = (await ParticipationPrivacyNotice({ ctx })) as string;
    assert.ok(section.includes('id="participation"'), locale);
    assert.ok(section.includes('48'), `${locale}: how long unconfirmed contributions are kept`);
    assert.ok(section.includes('06/L-082'), `${locale}: the law`);
    assert.ok(/IP|ИП/.test(section), `${locale}: network addresses`);
    if (locale !== 'en') assert.notEqual(section, english, `${locale} is translated`);
    const page = (await Layout({ ctx, title: 'Privacy', children: section })) as string;
    assert.deepEqual(await htmlErrors(page), [], locale);
  }
});
