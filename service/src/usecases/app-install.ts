import type { Deps } from './deps';
import { ExternalCallError, type ActivityNotice, type AppInstallPort, type FeedPort } from './ports';

/** People known to have the app, remembered per process so that most sends read nothing. */
const KNOWN_MAX = 50_000;

/**
 * Activity-feed notices reach only people who have the Teams app. This feed installs the app for a
 * person before their first notice (Graph answers 409 if they already have it), and records it
 * on the person, so a team member who never opened the app still gets their pulse. An
 * installation refused for good (no permission, say) does not stop the notice: the person may have
 * the app already. Only when the notice is refused too does it fail, with the installation's reason added. A
 * person who has removed the app since is given it again, once.
 */
export function installingFeed(deps: Deps, feed: FeedPort, installer: AppInstallPort): FeedPort {
  const known = new Set<string>();
  const { User } = deps.models;
  const recordInstalled = (tenantId: string, userId: string) => User.updateOne({ tenantId, userId }, { $set: { appInstalledAt: deps.now() } });
  const install = async (tenantId: string, userId: string) => {
    const outcome = await installer.install(tenantId, userId);
    await recordInstalled(tenantId, userId);
    deps.log.debug({ tenantId, userId, outcome }, 'Teams app installed for the person');
  };
  const remember = async (tenantId: string, userId: string, key: string, record: boolean) => {
    if (record) await recordInstalled(tenantId, userId);
    if (known.size >= KNOWN_MAX) known.clear();
    known.add(key);
  };
  return {
    async send(tenantId: string, userId: string, notice: ActivityNotice): Promise<void> {
      const key = `${tenantId} ${userId}`;
      const hadIt = known.has(key) || !!(await User.findOne({ tenantId, userId }, { appInstalledAt: 1 }).lean())?.appInstalledAt;
      let refused: unknown = null;
      if (!hadIt) {
        try {
          await install(tenantId, userId);
        } catch (err) {
          if (!(err instanceof ExternalCallError && err.kind === 'permanent')) throw err;
          refused = err;
        }
      }
      try {
        await feed.send(tenantId, userId, notice);
      } catch (err) {
        const forbidden = err instanceof ExternalCallError && err.status === 403;
        // Refused because the app is missing: the installation's refusal says why.
        if (forbidden && refused) throw new ExternalCallError('permanent', `${err.message} (the app could not be installed for them: ${refused instanceof Error ? refused.message : String(refused)})`, err.status);
        // Forbidden for someone who had the app before this notice: they removed it. Installed again, the notice is sent once more.
        if (!(forbidden && hadIt)) throw err;
        known.delete(key);
        await User.updateOne({ tenantId, userId }, { $set: { appInstalledAt: null } });
        await install(tenantId, userId);
        await feed.send(tenantId, userId, notice);
      }
      // Sent: the person has the app (installed now, earlier, or by themselves when installing was refused).
      await remember(tenantId, userId, key, !hadIt && !!refused);
    },
  };
}
