import type { SignedIn } from '../usecases/sign-in';

const TTL_MS = 60_000;
const MAX_ENTRIES = 10_000;
const entries = new Map<string, { at: number; caller: SignedIn }>();

/**
 * Signed-in callers, cached briefly per token so a burst of requests costs one user upsert.
 * Role changes clear this instance's entries for the person; other instances catch up within the TTL.
 */
export const signInCache = {
  get(key: string): SignedIn | undefined {
    const hit = entries.get(key);
    return hit && Date.now() - hit.at < TTL_MS ? hit.caller : undefined;
  },
  set(key: string, caller: SignedIn): void {
    if (entries.size >= MAX_ENTRIES) entries.clear();
    entries.set(key, { at: Date.now(), caller });
  },
  forget(tenantId: string, userId: string): void {
    for (const [key, { caller }] of entries) if (caller.tenantId === tenantId && caller.userId === userId) entries.delete(key);
  },
};
