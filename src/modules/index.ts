import type { ModuleManifest } from './manifest.js';
import { manifest as audit } from './audit/index.js';
import { manifest as accounts } from './accounts/index.js';
import { manifest as adminHome } from './admin-home/index.js';
import { manifest as pages } from './pages/index.js';
import { manifest as search } from './search/index.js';
import { manifest as transparency } from './transparency/index.js';
import { manifest as jurisdictions } from './jurisdictions/index.js';
import { manifest as institutions } from './institutions/index.js';
import { manifest as plans } from './plans/index.js';
import { manifest as commitments } from './commitments/index.js';
import { manifest as provenance } from './provenance/index.js';
import { manifest as mail } from './mail/index.js';
import { manifest as reporting } from './reporting/index.js';
import { manifest as bodies } from './bodies/index.js';
import { manifest as meetings } from './meetings/index.js';
import { manifest as reviews } from './reviews/index.js';
import { manifest as standards } from './standards/index.js';
import { manifest as participation } from './participation/index.js';
import { manifest as subscriptions } from './subscriptions/index.js';
import { manifest as feeds } from './feeds/index.js';
import { manifest as news } from './news/index.js';
import { manifest as api } from './api/index.js';
import { manifest as opendata } from './opendata/index.js';
import { manifest as interop } from './interop/index.js';
import { manifest as reports } from './reports/index.js';

/**
 * Every module of Besa (manifest.ts), in order. The order is the order of their routes within each
 * pass (app.ts), of their search documents and of the search form's kinds. A new module is its
 * folder plus one line here (and its messages, keys under its own prefix, in locales/*.json).
 */
export const MODULES: readonly ModuleManifest[] = [
  audit,
  accounts,
  adminHome,
  pages,
  search,
  transparency,
  jurisdictions,
  institutions,
  plans,
  commitments,
  provenance,
  mail,
  reporting,
  bodies,
  meetings,
  reviews,
  standards,
  participation,
  subscriptions,
  feeds,
  news,
  api,
  opendata,
  interop,
  reports,
];
