import { Migrator, type Migration, type MigrationProvider } from 'kysely';
import type { Dialect } from './dialect.js';
import type { Db } from './database.js';
import { foundation } from './migrations/0001_foundation.js';
import { transparency } from './migrations/0002_transparency.js';
import { roles } from './migrations/0003_roles.js';
import { accounts } from './migrations/0004_accounts.js';
import { mail } from './migrations/0005_mail.js';
import { reporting } from './migrations/0006_reporting.js';
import { planRollupIndex } from './migrations/0007_plan_rollup_index.js';
import { searchDemoFlag } from './migrations/0008_search_demo_flag.js';
import { accountSecurity } from './migrations/0009_account_security.js';
import { logVerification } from './migrations/0010_log_verification.js';
import { ogpVocabulary } from './migrations/0011_ogp_vocabulary.js';
import { provenance } from './migrations/0012_provenance.js';
import { jurisdictionBranding } from './migrations/0013_jurisdiction_branding.js';
import { userLanguage } from './migrations/0014_user_language.js';
import { jurisdictionTimeZone } from './migrations/0015_jurisdiction_time_zone.js';
import { bodies } from './migrations/0016_bodies.js';
import { meetings } from './migrations/0017_meetings.js';
import { reviews } from './migrations/0018_reviews.js';
import { standards } from './migrations/0019_standards.js';
import { participation } from './migrations/0020_participation.js';
import { consultationsMore } from './migrations/0021_consultations_more.js';
import { contributionsMore } from './migrations/0022_contributions_more.js';
import { responsesMore } from './migrations/0023_responses_more.js';
import { subscriptions } from './migrations/0024_subscriptions.js';
import { participationKeysDay } from './migrations/0025_participation_keys_day.js';
import { news } from './migrations/0026_news.js';
import { apiTokens } from './migrations/0027_api_tokens.js';
import { interop } from './migrations/0028_interop.js';
import { signingKeyOut } from './migrations/0029_signing_key_out.js';
import { witnesses } from './migrations/0030_witnesses.js';
import { openDataIndexes } from './migrations/0031_open_data_indexes.js';

/** Migrations are listed here, in order; they never import application code. */
function migrations(dialect: Dialect): Record<string, Migration> {
  return {
    '0001_foundation': foundation(dialect),
    '0002_transparency': transparency(dialect),
    '0003_roles': roles(),
    '0004_accounts': accounts(dialect),
    '0005_mail': mail(dialect),
    '0006_reporting': reporting(dialect),
    '0007_plan_rollup_index': planRollupIndex(),
    '0008_search_demo_flag': searchDemoFlag(),
    '0009_account_security': accountSecurity(),
    '0010_log_verification': logVerification(),
    '0011_ogp_vocabulary': ogpVocabulary(),
    '0012_provenance': provenance(dialect),
    '0013_jurisdiction_branding': jurisdictionBranding(dialect),
    '0014_user_language': userLanguage(),
    '0015_jurisdiction_time_zone': jurisdictionTimeZone(),
    '0016_bodies': bodies(dialect),
    '0017_meetings': meetings(dialect),
    '0018_reviews': reviews(dialect),
    '0019_standards': standards(),
    '0020_participation': participation(dialect),
    '0021_consultations_more': consultationsMore(dialect),
    '0022_contributions_more': contributionsMore(dialect),
    '0023_responses_more': responsesMore(dialect),
    '0024_subscriptions': subscriptions(dialect),
    '0025_participation_keys_day': participationKeysDay(dialect),
    '0026_news': news(dialect),
    '0027_api_tokens': apiTokens(dialect),
    '0028_interop': interop(dialect),
    '0029_signing_key_out': signingKeyOut(),
    '0030_witnesses': witnesses(dialect),
    '0031_open_data_indexes': openDataIndexes(),
  };
}

/** The names of every migration this version of Besa knows, in order (/readyz compares the applied ones). */
export const migrationNames = (dialect: Dialect): string[] => Object.keys(migrations(dialect)).sort();

export async function migrateToLatest(db: Db, dialect: Dialect): Promise<string[]> {
  const provider: MigrationProvider = { getMigrations: async () => migrations(dialect) };
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
