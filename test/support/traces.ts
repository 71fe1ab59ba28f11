import type IORedis from 'ioredis';
import type { Stack } from './stack';

/** Every document of every collection, and every Redis key of the stack, that mentions any of `needles`. */
export async function traces(stack: Stack, redis: IORedis, needles: string[]): Promise<string[]> {
  const lowered = needles.map((n) => n.toLowerCase());
  const found: string[] = [];
  for (const c of await stack.conn.db!.listCollections().toArray()) {
    for (const doc of await stack.conn.db!.collection(c.name).find({}).toArray()) {
      const text = JSON.stringify(doc).toLowerCase();
      for (const n of lowered) if (text.includes(n)) found.push(`${c.name}: ${JSON.stringify(doc).slice(0, 300)}`);
    }
  }
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${stack.env.QUEUE_PREFIX}:*`, 'COUNT', 500);
    cursor = next;
    for (const key of keys) {
      const type = await redis.type(key);
      let content: unknown = null;
      if (type === 'string') content = await redis.get(key);
      else if (type === 'hash') content = await redis.hgetall(key);
      else if (type === 'list') content = await redis.lrange(key, 0, -1);
      else if (type === 'set') content = await redis.smembers(key);
      else if (type === 'zset') content = await redis.zrange(key, 0, -1);
      else if (type === 'stream') content = await redis.xrange(key, '-', '+');
      const text = `${key} ${JSON.stringify(content)}`.toLowerCase();
      for (const n of lowered) if (text.includes(n)) found.push(`redis ${key}: ${text.slice(0, 300)}`);
    }
  } while (cursor !== '0');
  return found;
}

