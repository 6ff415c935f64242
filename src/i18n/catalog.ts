/**
 * Every message bundle of the interface: the shared interface's, then every module's in the order
 * of MODULES (modules/index.ts). Each module's manifest names the same bundles (`messages`);
 * modules/manifest.test.ts checks that the two agree, so a module's bundle missing here fails the
 * tests. The catalog imports the message files themselves, never a module's index.ts: every module's
 * pages import i18n, so importing the manifests from here would be an import circle (docs/adr/0005).
 */
import ui from '../ui/messages.js';
import { formMessages } from '../ui/forms.js';
import { adminUiMessages } from '../ui/admin-messages.js';
import accounts from '../modules/accounts/messages.js';
import adminHome from '../modules/admin-home/messages.js';
import pages from '../modules/pages/messages.js';
import search from '../modules/search/messages.js';
import transparency from '../modules/transparency/messages.js';
import jurisdictions from '../modules/jurisdictions/messages.js';
import jurisdictionsAdmin from '../modules/jurisdictions/admin-messages.js';
import institutions from '../modules/institutions/messages.js';
import institutionsAdmin from '../modules/institutions/admin-messages.js';
import plans from '../modules/plans/messages.js';
import plansAdmin from '../modules/plans/admin-messages.js';
import commitments from '../modules/commitments/messages.js';
import commitmentsAdmin from '../modules/commitments/admin-messages.js';
import provenance from '../modules/provenance/messages.js';
import mailAdmin from '../modules/mail/messages.js';
import reporting from '../modules/reporting/messages.js';
import reportingMail from '../modules/reporting/mail-messages.js';
import bodies from '../modules/bodies/messages.js';
import meetings from '../modules/meetings/messages.js';
import reviews from '../modules/reviews/messages.js';
import standards from '../modules/standards/messages.js';
import consultations from '../modules/participation/consultation-messages.js';
import contributions from '../modules/participation/contribution-messages.js';
import responses from '../modules/participation/response-messages.js';
import subscriptions from '../modules/subscriptions/messages.js';
import feedsMessages from '../modules/feeds/messages.js';
import newsMessages from '../modules/news/messages.js';
import apiMessages from '../modules/api/messages.js';
import opendataMessages from '../modules/opendata/messages.js';
import interopMessages from '../modules/interop/messages.js';
import reportsMessages from '../modules/reports/messages.js';

/** The shared interface's bundles (layout, forms, admin pieces): no module owns them. */
export const interfaceBundles = [ui, formMessages, adminUiMessages] as const;

/** Every module's bundles, in the order of MODULES. */
export const moduleBundles = [
  accounts,
  adminHome,
  pages,
  search,
  transparency,
  jurisdictions,
  jurisdictionsAdmin,
  institutions,
  institutionsAdmin,
  plans,
  plansAdmin,
  commitments,
  commitmentsAdmin,
  provenance,
  mailAdmin,
  reporting,
  reportingMail,
  bodies,
  meetings,
  reviews,
  standards,
  consultations,
  contributions,
  responses,
  subscriptions,
  feedsMessages,
  newsMessages,
  apiMessages,
  opendataMessages,
  interopMessages,
  reportsMessages,
] as const;

export const bundles = [...interfaceBundles, ...moduleBundles] as const;
