/** Every message bundle of the interface, listed explicitly. */
import ui from '../ui/messages.js';
import { formMessages } from '../ui/forms.js';
import { adminUiMessages } from '../ui/admin.js';
import accounts from '../modules/accounts/messages.js';
import adminHome from '../modules/admin-home/messages.js';
import commitments from '../modules/commitments/messages.js';
import commitmentsAdmin from '../modules/commitments/admin-messages.js';
import institutions from '../modules/institutions/messages.js';
import institutionsAdmin from '../modules/institutions/admin-messages.js';
import jurisdictions from '../modules/jurisdictions/messages.js';
import jurisdictionsAdmin from '../modules/jurisdictions/admin-messages.js';
import pages from '../modules/pages/messages.js';
import plans from '../modules/plans/messages.js';
import plansAdmin from '../modules/plans/admin-messages.js';
import reporting from '../modules/reporting/messages.js';
import reportingMail from '../modules/reporting/mail-messages.js';
import search from '../modules/search/messages.js';
import transparency from '../modules/transparency/messages.js';
import mailAdmin from '../modules/mail/messages.js';
import provenance from '../modules/provenance/messages.js';
import bodies from '../modules/bodies/messages.js';
import meetings from '../modules/meetings/messages.js';
import reviews from '../modules/reviews/messages.js';
import standards from '../modules/standards/messages.js';

export const bundles = [
  ui,
  formMessages,
  adminUiMessages,
  accounts,
  adminHome,
  commitments,
  commitmentsAdmin,
  institutions,
  institutionsAdmin,
  jurisdictions,
  jurisdictionsAdmin,
  pages,
  plans,
  plansAdmin,
  reporting,
  reportingMail,
  search,
  transparency,
  mailAdmin,
  provenance,
  bodies,
  meetings,
  reviews,
  standards,
] as const;
