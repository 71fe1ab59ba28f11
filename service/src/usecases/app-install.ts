import type { Deps } from './deps';
import type { ActivityNotice, AppInstallPort, FeedPort } from './ports';

/** People known to have the app, remembered per process so that most sends read nothing. */
const KNOWN_MAX = 50_000;

/**
 * Activity-feed notices reach only people who have the Teams app. This feed installs the app for a
 * person before their first notice (Graph answers 409 if they already have it), and records it
 * on the person, so a team member who never opened the app still gets their pulse. An
 * installation refused for good (no permission, say) fails the notice with that reason.
 */
export function installingFeed(deps: Deps, feed: FeedPort, installer: AppInstallPort): FeedPort {
  const known = new Set<string>();
  return {
    async send(tenantId: string, userId: string, notice: ActivityNotice): Promise<void> {
      const key = `${tenantId} ${userId}`;
      if (!known.has(key)) {
        const user = await deps.models.User.findOne({ tenantId, userId }, { appInstalledAt: 1 }).lean();
        if (!user?.appInstalledAt) {
          const outcome = await installer.install(tenantId, userId);
          await deps.models.User.updateOne({ tenantId, userId }, { $set: { appInstalledAt: deps.now() } });
          deps.log.debug({ tenantId, userId, outcome }, 'Teams app installed for the person');
        }
        if (known.size >= KNOWN_MAX) known.clear();
        known.add(key);
      }
      await feed.send(tenantId, userId, notice);
    },
  };
}
