/**
 * The mail module's sending face: queue a message in a transaction (the outbox worker sends it).
 * A second entry besides index.ts, importing nothing of other modules, so that the modules mail
 * itself builds on (accounts: its admin page and policies) can send mail without an import circle.
 */
export { enqueueMail, type OutgoingMail } from './outbox.js';
export { deleteMailTo } from './repository.js';
export { composeMail, mailHtml, recipientLocale } from './compose.js';
export { InvalidMailError, isMailAddress, maskAddress } from './address.js';
