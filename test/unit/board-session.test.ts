import { BoardSessions } from '../../service/src/http/queue-board';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

describe('bull-board session cookie', () => {
  test('is accepted as issued, and refused with any other last character of its signature', () => {
    const sessions = new BoardSessions('a-secret-of-the-test');
    const cookie = sessions.issue('ops-1', 'tenant-1', false).split(';')[0]!;
    expect(sessions.valid(cookie)).toBe(true);
    // The last base64url character of a 32-byte signature carries two spare bits: changes to them must not pass either.
    const others = [...ALPHABET].filter((c) => c !== cookie.slice(-1)).map((c) => cookie.slice(0, -1) + c);
    expect(others.filter((forged) => sessions.valid(forged))).toEqual([]);
  });
});
