import { defineModule } from '../manifest.js';
import { mailAdminRoutes } from './admin-routes.js';
/** The mail module's face: queue a message in a transaction; the outbox worker sends it. */
export { enqueueMail, type OutgoingMail, composeMail, mailHtml, recipientLocale, InvalidMailError, isMailAddress, maskAddress } from './send.js';
export { deliverDueMail, purgeSentMail, startMailWorker, MAX_ATTEMPTS, SENT_RETENTION_DAYS, type DeliveryResult, type MailLog } from './worker.js';
export { createMailTransport, fileTransport, smtpTransport, OUTBOX_ID_HEADER, type MailTransport, type TransportMessage } from './transport.js';
export { readMailbox, clearMailbox, deliverToMailbox, type MailboxMessage } from './mailbox.js';
export { mailAdminRoutes } from './admin-routes.js';

/** The outbox and its administration page. */
export const manifest = defineModule({
  name: 'mail',
  messages: ['mailAdmin'],
  routes: { admin: ({ db }) => mailAdminRoutes(db) },
});
