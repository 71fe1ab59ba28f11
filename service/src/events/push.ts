import type { RedisClient } from './queues';
import type { Logger } from 'pino';

/**
 * The push channel: events for open event streams, fanned out to every API instance through Redis
 * pub/sub. An event only says what changed; the state itself is stored, and a stream that
 * (re)connects is sent the stored state first, so an event lost to a Redis outage or a restart
 * costs a moment's delay, never data.
 */
export interface PushEvent {
  /** Who may receive it: `room:<tenant>:<roomId>` or `user:<tenant>:<userId>`. */
  topic: string;
  /** The event's name on the stream. */
  type: string;
  data: unknown;
}

export interface Push {
  publish(event: PushEvent): Promise<void>;
}

export const topics = {
  room: (tenantId: string, roomId: string) => `room:${tenantId}:${roomId}`,
  user: (tenantId: string, userId: string) => `user:${tenantId}:${userId}`,
} as const;

const channel = (prefix: string) => `${prefix}:push`;

/** Publishes through Redis; a failure is logged and swallowed, since the stored state is already written. */
export function redisPush(redis: RedisClient, prefix: string, log: Logger): Push {
  return {
    async publish(event) {
      try {
        await redis.publish(channel(prefix), JSON.stringify(event));
      } catch (err) {
        log.warn({ err: (err as Error).message, topic: event.topic.split(':')[0] }, 'push event not published (streams catch up on reconnect)');
      }
    },
  };
}

type Listener = (event: PushEvent) => void;

/** The API side: one Redis subscription per instance, dispatched to the streams open here by topic. */
export class PushHub {
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly stoppers = new Set<() => void>();

  constructor(
    private readonly subscriber: RedisClient,
    private readonly prefix: string,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    this.subscriber.on('message', (_channel: string, message: string) => this.dispatch(message));
    await this.subscriber.subscribe(channel(this.prefix));
  }

  subscribe(topicList: readonly string[], listener: Listener): () => void {
    for (const topic of topicList) {
      let set = this.listeners.get(topic);
      if (!set) this.listeners.set(topic, (set = new Set()));
      set.add(listener);
    }
    return () => {
      for (const topic of topicList) {
        const set = this.listeners.get(topic);
        set?.delete(listener);
        if (set?.size === 0) this.listeners.delete(topic);
      }
    };
  }

  /** Called when the instance stops, so open streams end and their tabs reconnect elsewhere. */
  onStop(fn: () => void): () => void {
    this.stoppers.add(fn);
    return () => this.stoppers.delete(fn);
  }

  private dispatch(message: string): void {
    let event: PushEvent;
    try {
      event = JSON.parse(message) as PushEvent;
    } catch {
      this.log.warn('malformed push event ignored');
      return;
    }
    for (const listener of this.listeners.get(event.topic) ?? []) listener(event);
  }

  async stop(): Promise<void> {
    for (const fn of [...this.stoppers]) fn();
    this.stoppers.clear();
    this.listeners.clear();
    await this.subscriber.quit().catch(() => undefined);
  }
}
