// Practice rooms live: PRACTICE_ROOMS rooms of three (default 50), each person following the room on
// the event stream, each observer tapping every 2 s for PRACTICE_SECONDS (default 300), the API
// restarted half-way. Tap → every other viewer's stream, p95; API RSS start → end; and every tap
// sent is stored once and reaches every viewer (live, or in the room sent on reconnection); and for
// one room, the practising manager's page in Chromium: tap → the tally painted.
'use strict';
const { randomUUID } = require('node:crypto');
const { Types } = require('mongoose');
const c = require('../lib/common.cjs');
const { createUsers, createOpenProgramme } = require('../lib/fixtures.cjs');

const ROOMS = Number(process.env.PRACTICE_ROOMS || 50);
const SECONDS = Number(process.env.PRACTICE_SECONDS || 300);
const TAP_EVERY_MS = 2000;
/** Taps this soon after the restart are counted as "around the restart": the streams are reconnecting. */
const RECOVERY_MS = 15_000;
const CODES = ['open_question', 'closed_question', 'simple_reflection', 'complex_reflection', 'advice', 'affirmation'];

/** Installed before the tab's code: the dev-token slot, and a wall-clock time for each rise of the tally's total, at the frame that shows it. */
function paintProbe({ key, value }) {
  try {
    window.sessionStorage.setItem(key, value);
  } catch {
    /* storage disabled */
  }
  window.__paints = [];
  let shown = 0;
  new MutationObserver(() => {
    const total = [...document.querySelectorAll('[data-behaviour]')].reduce((n, tile) => n + (Number(tile.lastElementChild?.textContent) || 0), 0);
    if (total <= shown) return;
    const rises = total - shown;
    shown = total;
    requestAnimationFrame(() => {
      const at = Date.now();
      for (let i = 0; i < rises; i++) window.__paints.push(at);
    });
  }).observe(document, { subtree: true, childList: true, characterData: true });
}

async function run(ctx) {
  const { APP_ROLE } = c.loadStandIns();
  const { TestStream } = c.loadSupport('sse');
  const s = await c.startStack(ctx, 'practice', { workers: false, env: { NODE_ENV: 'test', DEV_SIGN_IN: 'true', STREAM_HEARTBEAT_MS: '5000', STREAM_MAX_PER_USER: '6' } });
  const browser = await c.launchBrowser();
  const tenantId = randomUUID();
  const streams = [];
  try {
    const { programmeId, cohortId } = await createOpenProgramme(s.models, tenantId, ROOMS * 3, { sessions: 1 });
    const session = await s.models.SessionPlan.create({ tenantId, programmeId, cohortId, kind: 'role_play', title: 'Bench role-play', startsAt: new Date(Date.now() + 86400_000), durationMinutes: 120, timeZone: 'Europe/London' });
    const people = await createUsers(s.models, tenantId, ROOMS * 3, ['manager']);
    const [coach] = await createUsers(s.models, tenantId, 1, ['coach']);
    await s.models.ParticipantSession.insertMany(people.map((p) => ({ tenantId, enrolmentId: new Types.ObjectId(), sessionId: session._id, programmeId, userId: p.userId })));
    const tokens = new Map();
    for (const u of [...people, coach]) tokens.set(u.userId, await ctx.entra.token({ tenantId, userId: u.userId, roles: u.roles.map((r) => APP_ROLE[r]) }, { expiresInS: 8 * 3600 }));
    const opened = await c.request(s.baseUrl, 'POST', `/api/sessions/${session._id}/rooms`, { token: tokens.get(coach.userId), body: {} });
    if (opened.status !== 201) throw new Error(`opening rooms answered ${opened.status}: ${opened.text}`);
    const rooms = [];
    for (const r of opened.json.rooms) {
      const started = await c.request(s.baseUrl, 'POST', `/api/practice/rooms/${r.id}/rounds`, { token: tokens.get(coach.userId), body: { round: 0 } });
      const round = started.json.room.round;
      const viewers = r.members.map((m) => {
        const stream = new TestStream(s.baseUrl, () => tokens.get(m.userId), `?room=${r.id}`);
        streams.push(stream);
        return { userId: m.userId, stream };
      });
      rooms.push({ id: r.id, observer: round.observerIds[0], viewers, sent: new Map(), wall: [] });
    }
    await c.eventually(async () => streams.every((st) => st.events.some((e) => e.type === 'room')), { what: 'every viewer sent its room', timeoutMs: 60000 });
    // One room in Chromium, as its practising manager: each rise of the tally's total is painted at a wall-clock time.
    const watched = rooms[0];
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const devToken = JSON.stringify({ token: tokens.get(watched.viewers[0].userId), expiresAt: new Date(Date.now() + 8 * 3600_000).toISOString() });
    await context.addInitScript(paintProbe, { key: 'coaching-pilots.dev-token', value: devToken });
    const page = await context.newPage();
    await page.goto(`${s.baseUrl}/#/practice?room=${watched.id}`);
    await page.waitForSelector('[data-behaviour]', { timeout: 60000 });
    const rssStart = s.api.rss();
    ctx.log(`  ${rooms.length} rooms, ${streams.length} streams open; API RSS ${c.mib(rssStart)} MiB`);

    const deadline = performance.now() + SECONDS * 1000;
    let restartedAt = null;
    let restartDone = null;
    let rssMid = null;
    const observerLoop = async (room, offset) => {
      await c.sleep(offset);
      let k = 0;
      while (performance.now() < deadline) {
        const id = `b${room.id.slice(-8)}-${k++}`;
        const t0 = performance.now();
        room.sent.set(id, t0);
        room.wall.push({ id, at: Date.now() });
        // A tap that fails (the API restarting) is sent again, as the tab's queue does.
        for (;;) {
          const r = await c.request(s.baseUrl, 'POST', `/api/practice/rooms/${room.id}/taps`, { token: tokens.get(room.observer), body: { id, round: 0, code: CODES[k % CODES.length] } }).catch(() => ({ status: 0 }));
          if (r.status === 201 || r.status === 200) break;
          await c.sleep(200);
        }
        await c.sleep(Math.max(0, TAP_EVERY_MS - (performance.now() - t0)));
      }
    };
    const restart = (async () => {
      await c.sleep((SECONDS * 1000) / 2);
      rssMid = s.api.rss();
      restartedAt = performance.now();
      ctx.log(`  restarting the API half-way (RSS ${c.mib(rssMid)} MiB)`);
      await s.api.stop();
      s.api.start();
      await c.waitHealthy(s);
      restartDone = performance.now();
    })();
    await Promise.all([...rooms.map((room, i) => observerLoop(room, (i * TAP_EVERY_MS) / rooms.length)), restart]);
    // Let the last taps arrive.
    await c.sleep(3000);
    const rssEnd = s.api.rss();

    // Latency: from the POST's start to each other viewer's receipt, live or in a room snapshot.
    const before = [];
    const after = [];
    const aroundRestart = [];
    let lost = 0;
    let sentTotal = 0;
    for (const room of rooms) {
      const stored = new Set((await s.models.PracticeTap.find({ tenantId, roomId: new Types.ObjectId(room.id) }, { tapId: 1 }).lean()).map((t) => t.tapId));
      sentTotal += room.sent.size;
      for (const id of room.sent.keys()) if (!stored.has(id)) lost += 1;
      for (const v of room.viewers) {
        if (v.userId === room.observer) continue;
        const firstSeen = new Map();
        for (const e of v.stream.events) {
          const ids = e.type === 'tap' ? [e.data.tap.id] : e.type === 'room' ? e.data.round.taps.map((t) => t.id) : [];
          for (const id of ids) if (!firstSeen.has(id)) firstSeen.set(id, e.at);
        }
        for (const [id, t0] of room.sent) {
          const seen = firstSeen.get(id);
          if (seen === undefined) {
            lost += 1;
            continue;
          }
          const ms = Math.max(0, seen - t0);
          if (restartedAt === null || t0 < restartedAt - TAP_EVERY_MS) before.push(ms);
          else if (t0 > (restartDone ?? Infinity) + RECOVERY_MS) after.push(ms);
          else aroundRestart.push(ms);
        }
      }
    }
    // Chromium: the k-th rise of the total is the k-th tap (no undo here); before the restart only.
    const paints = await page.evaluate(() => window.__paints);
    const chromium = [];
    watched.wall.forEach((tap, k) => {
      if (paints[k] !== undefined && (restartedAt === null || room0Before(tap))) chromium.push(Math.max(0, paints[k] - tap.at));
    });
    function room0Before(tap) {
      return watched.sent.get(tap.id) < restartedAt - TAP_EVERY_MS;
    }
    await context.close();
    const storedTotal = await s.models.PracticeTap.countDocuments({ tenantId });
    const res = {
      title: 'Practice rooms, live',
      config: { rooms: ROOMS, viewersPerRoom: 3, seconds: SECONDS, tapEveryMs: TAP_EVERY_MS },
      tapToViewer: { p50: c.percentile(before, 50), p95: c.percentile(before, 95), n: before.length },
      afterRestart: { p50: c.percentile(after, 50), p95: c.percentile(after, 95), n: after.length },
      chromium: { p50: c.percentile(chromium, 50), p95: c.percentile(chromium, 95), n: chromium.length },
      aroundRestart: { p50: c.percentile(aroundRestart, 50), max: Math.max(0, ...aroundRestart), n: aroundRestart.length },
      taps: { sent: sentTotal, stored: storedTotal, lostOrUnseen: lost },
      apiRss: { start: rssStart, mid: rssMid, end: rssEnd },
    };
    res.table = [
      { figure: `tap → other viewers' streams, before the restart (${before.length})`, value: `p50 ${c.round(res.tapToViewer.p50, 0)} ms, p95 ${c.round(res.tapToViewer.p95, 0)} ms`, baseline: 'target p95 < 300 ms', ratio: c.round(res.tapToViewer.p95 / 300, 2) },
      { figure: `… from ${RECOVERY_MS / 1000} s after the restart (${after.length})`, value: `p50 ${c.round(res.afterRestart.p50, 0)} ms, p95 ${c.round(res.afterRestart.p95, 0)} ms`, baseline: 'target p95 < 300 ms', ratio: c.round(res.afterRestart.p95 / 300, 2) },
      { figure: `tap → tally painted in Chromium, one room, before the restart (${chromium.length})`, value: `p50 ${c.round(res.chromium.p50, 0)} ms, p95 ${c.round(res.chromium.p95, 0)} ms`, baseline: 'target p95 < 300 ms', ratio: c.round(res.chromium.p95 / 300, 2) },
      { figure: `taps made from the restart to ${RECOVERY_MS / 1000} s after`, value: `p50 ${c.round(res.aroundRestart.p50, 0)} ms, max ${c.round(res.aroundRestart.max, 0)} ms (${aroundRestart.length})`, baseline: 'delivered on reconnection', ratio: null },
      { figure: 'taps sent / stored / lost or unseen', value: `${sentTotal} / ${storedTotal} / ${lost}`, baseline: 'stored = sent, none lost', ratio: sentTotal ? c.round(storedTotal / sentTotal, 3) : null },
      { figure: 'API RSS start → before restart; after restart → end', value: `${c.mib(rssStart)} → ${c.mib(rssMid)} MiB; → ${c.mib(rssEnd)} MiB`, baseline: 'start', ratio: rssMid ? c.round(rssMid / rssStart, 2) : null },
    ];
    return res;
  } finally {
    for (const st of streams) st.close();
    await browser.close();
    await s.stop();
  }
}

module.exports = { name: 'practice', run };
