import type { Kysely, Migration } from 'kysely';

/**
 * A person's language (issue 9): the locale every e-mail to them is written in (`users.locale`),
 * chosen on the invitation (`invitations.locale`, given to the account when it is accepted) and
 * changed by the person on their account page. Nullable: older accounts have none, and their
 * messages use the language of the page that caused them. The outbox already holds an HTML body
 * (`mail_outbox.html_body`, 0005). The same statements run on SQLite and PostgreSQL.
 */
export function userLanguage(): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('users').addColumn('locale', 'text').execute();
      await db.schema.alterTable('invitations').addColumn('locale', 'text').execute();
    },
  };
}
