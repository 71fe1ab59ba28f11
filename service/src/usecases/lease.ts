import { randomUUID } from 'node:crypto';
import { isDuplicateKey } from '../data/bulk';
import type { Deps } from './deps';

/**
 * A short lease by key, shared by every process through the database: inserting the lease
 * document is the claim (unique `_id`); a lease found expired is removed and the claim tried once
 * more, so a holder that crashed blocks the others only until `ms` passes. Returns the owner
 * token, or null if taken.
 */
export async function takeLease(deps: Deps, leaseId: string, ms: number): Promise<string | null> {
  const { Lease } = deps.models;
  const owner = randomUUID();
  const claim = async (): Promise<boolean> => {
    try {
      await Lease.create({ _id: leaseId, owner, until: new Date(deps.now().getTime() + ms) });
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  };
  if (await claim()) return owner;
  const expired = await Lease.deleteOne({ _id: leaseId, until: { $lt: deps.now() } });
  return expired.deletedCount > 0 && (await claim()) ? owner : null;
}

export async function releaseLease(deps: Deps, leaseId: string, owner: string): Promise<void> {
  await deps.models.Lease.deleteOne({ _id: leaseId, owner });
}

/** Extends a lease its owner still holds (a long run renews as it goes, so only a dead holder's lease expires). */
export async function renewLease(deps: Deps, leaseId: string, owner: string, ms: number): Promise<void> {
  await deps.models.Lease.updateOne({ _id: leaseId, owner }, { $set: { until: new Date(deps.now().getTime() + ms) } });
}

/**
 * Runs `work` holding the lease, renewed every quarter of `ms` so only a dead holder's lease
 * expires; 'busy' when another holder has it.
 */
export async function withLease<T>(deps: Deps, leaseId: string, ms: number, work: () => Promise<T>): Promise<T | 'busy'> {
  const owner = await takeLease(deps, leaseId, ms);
  if (!owner) return 'busy';
  const renew = setInterval(() => void renewLease(deps, leaseId, owner, ms).catch(() => undefined), ms / 4);
  try {
    return await work();
  } finally {
    clearInterval(renew);
    await releaseLease(deps, leaseId, owner);
  }
}
