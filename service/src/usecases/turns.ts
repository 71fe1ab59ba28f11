import type { Types } from 'mongoose';
import { isDuplicateKey } from '../data/bulk';
import type { Deps } from './deps';

/** The id of turn `n` of a cohort: one document per place, so only one request can take it. */
export function turnId(tenantId: string, cohortId: Types.ObjectId, n: number): string {
  return `${tenantId}/${String(cohortId)}/${n}`;
}

/** Tries before leaving the turn to the allocator (which takes it when it finds none). */
const ATTEMPTS = 25;

/**
 * Requests for one cohort take their turns one after another within a process: a burst would
 * otherwise all read the same last turn and race for the same next one, over and over. Across
 * processes the unique _id still decides; this only keeps a process from racing itself.
 */
const queues = new Map<string, Promise<unknown>>();
function oneAtATime<T>(key: string, work: () => Promise<T>): Promise<T> {
  const run = (queues.get(key) ?? Promise.resolve()).then(work, work);
  const tail = run.catch(() => undefined);
  queues.set(key, tail);
  void tail.then(() => queues.get(key) === tail && queues.delete(key));
  return run;
}

/**
 * Gives an enrolment that has just entered the seat queue its turn in the cohort: the next number,
 * claimed by inserting the turn's document (its _id names the cohort and the number, so only one
 * request gets each). Its time is strictly later than the turn before's; the allocator records
 * both on the enrolment when it decides it (the turns are the queue's truth until then, so taking
 * one writes nothing else). Idempotent: an enrolment keeps the turn it has. Returns null when
 * others kept taking the next number first (the allocator then takes one for it).
 */
export function takeTurn(deps: Deps, tenantId: string, cohortId: Types.ObjectId, enrolmentId: Types.ObjectId): Promise<{ n: number; at: Date } | null> {
  return oneAtATime(`${tenantId}/${String(cohortId)}`, () => claim(deps, tenantId, cohortId, enrolmentId));
}

/**
 * The last turn this process took in each cohort: the next claim tries the number after it without
 * reading the cohort's turns (a sorted read that FerretDB answers by decoding all of them, so its
 * cost grew with the queue). Another process taking that number meanwhile costs one refused insert
 * and a read. Bounded: the cohorts least recently used are forgotten.
 */
const lastTaken = new Map<string, { n: number; at: Date }>();
const REMEMBERED = 1000;

function remember(key: string, turn: { n: number; at: Date }): void {
  lastTaken.delete(key);
  lastTaken.set(key, turn);
  if (lastTaken.size > REMEMBERED) lastTaken.delete(lastTaken.keys().next().value!);
}

async function claim(deps: Deps, tenantId: string, cohortId: Types.ObjectId, enrolmentId: Types.ObjectId): Promise<{ n: number; at: Date } | null> {
  const { Turn } = deps.models;
  const key = `${tenantId}/${String(cohortId)}`;
  let last = lastTaken.get(key);
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    if (!last) {
      const mine = await Turn.findOne({ tenantId, enrolmentId }, { n: 1, at: 1 }).lean();
      if (mine) return { n: mine.n, at: mine.at };
      last = (await Turn.findOne({ tenantId, cohortId }, { n: 1, at: 1 }).sort({ n: -1 }).lean()) ?? { n: 0, at: new Date(0) };
    }
    const n = last.n + 1;
    const now = deps.now();
    const at = last.at >= now ? new Date(last.at.getTime() + 1) : now;
    try {
      await Turn.create({ _id: turnId(tenantId, cohortId, n), tenantId, cohortId, n, enrolmentId, at });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      // Taken meanwhile (or this enrolment got one in a concurrent call): look again.
      last = undefined;
      continue;
    }
    remember(key, { n, at });
    return { n, at };
  }
  lastTaken.delete(key);
  deps.log.warn({ cohortId: String(cohortId) }, 'no turn after repeated tries; the allocator takes one');
  return null;
}
