import { loadConfig } from '../../service/src/config';
import { clusterNode } from '../../service/src/events/queues';

describe('Redis settings', () => {
  test('one server by default; a cluster when seed nodes are given, with a hash-tagged prefix', () => {
    expect(loadConfig({}).REDIS_CLUSTER_NODES).toEqual([]);
    const c = loadConfig({ REDIS_CLUSTER_NODES: 'redis-0:6379, redis-1:6379', QUEUE_PREFIX: '{cp}' });
    expect(c.REDIS_CLUSTER_NODES).toEqual(['redis-0:6379', 'redis-1:6379']);
    expect(c.QUEUE_PREFIX).toBe('{cp}');
    expect(loadConfig({ QUEUE_PREFIX: 'app-{cp}-1' }).QUEUE_PREFIX).toBe('app-{cp}-1');
  });

  test('a cluster without a hash tag in the prefix, or a malformed prefix, is refused at start with the fix named', () => {
    expect(() => loadConfig({ REDIS_CLUSTER_NODES: 'redis-0:6379' })).toThrow(/QUEUE_PREFIX: a Redis Cluster needs a hash tag in the prefix, such as \{cp\}/);
    for (const bad of ['{cp', 'cp}', '{a}{b}', '{}', 'c p', 'cp:x']) expect(() => loadConfig({ QUEUE_PREFIX: bad })).toThrow(/QUEUE_PREFIX/);
  });

  test('seed nodes as host:port or URLs with credentials and TLS', () => {
    expect(clusterNode('10.0.0.5:7000')).toEqual({ host: '10.0.0.5', port: 7000, username: undefined, password: undefined, tls: false });
    expect(clusterNode('redis-0')).toMatchObject({ host: 'redis-0', port: 6379, tls: false });
    expect(clusterNode('rediss://default:p%40ss@cache.example.net:10000')).toEqual({ host: 'cache.example.net', port: 10000, username: 'default', password: 'p@ss', tls: true });
  });
});
