import { defineModule } from '../manifest.js';
import { subscriptionPublicRoutes, subscriptionUnlocalizedRoutes } from './routes.js';

/**
 * Subscriptions (issue 11): anyone can follow a jurisdiction, a plan, a commitment, a consultation
 * or a body by e-mail (double opt-in, immediate or a daily or weekly digest, in their language,
 * one-click unsubscribe); published updates, consultations, responses, meetings and reviews reach
 * them through the outbox (notify.ts).
 */
export { notifySubscribers, type Notice, type Topic, type TopicType } from './notify.js';
export { FollowLink } from './follow.js';
export { eraseSubscriptions } from './erase.js';
export { deliverDigests, deliverImmediateNotices, pruneSubscriptions, startSubscriptionDelivery } from './deliver.js';

export const manifest = defineModule({
  name: 'subscriptions',
  messages: ['subscriptions'],
  routes: {
    unlocalized: ({ db }) => subscriptionUnlocalizedRoutes(db),
    public: ({ db, publicUrl }) => subscriptionPublicRoutes(db, publicUrl),
  },
});
