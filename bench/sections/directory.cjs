// 8. Directory sync from Microsoft Graph: a full sync of N generated users (managers, mailbox
// settings in Windows and IANA zone names) from the Graph stand-in, started over the API as an admin
// does (PUT /api/admin/directory/settings, POST /api/admin/directory/sync), with 429s injected on
// delta pages and on mailbox reads; time to `succeeded`, users/s, pages and $batch calls, and the
// workers' peak RSS (sampled every second). Against the bare reads of the same stand-in: every delta
// page with the same token and page size, and the same number of $batch mailbox calls, through the
// same 429s, no database (paced at the same Graph limit, and unpaced). Then an incremental run with
// 1% of the people changed (department or manager, a few removed), against the bare reads of that
// delta. Meanwhile the tab's directory reads (the admin's people list, the owner's people picker) are
// timed every few seconds, against the same reads with no sync running.
'use strict';
const { randomUUID } = require('node:crypto');
const fs = require('node:fs');
const c = require('../lib/common.cjs');

const N = Number(process.env.DIRECTORY_N || 200_000);
const MAX_S = Number(process.env.DIRECTORY_MAX_S || 1200);
// GRAPH_MAX_PER_SECOND for this section (see bench/README.md for why 100 and not the product default 20).
const LIMIT = Number(process.env.DIRECTORY_GRAPH_LIMIT || 100);
// GRAPH_DELTA_PAGE_SIZE: the product default (999, Graph's maximum) unless set.
const PAGE = Number(process.env.DIRECTORY_PAGE_SIZE || 999);
const PROBE_N = Number(process.env.DIRECTORY_PROBE_N || 20);
const PROBE_EVERY_S = Number(process.env.DIRECTORY_PROBE_EVERY_S || 5);
const CHANGED = Number(process.env.DIRECTORY_CHANGED || 0.01);
const BATCH = 20; // Graph JSON batching
const SEARCHES = ['maya', 'patel', 'kim', 'sofia', 'nguyen', 'chen'];

const DELTA_PAGE = /^GET \/v1\.0\/users\/delta\?\$skiptoken/;
const MAILBOX = /mailboxSettings/;
const BATCH_CALL = /^POST \/v1\.0\/\$batch/;

/**
 * Counts the stand-in's requests instead of keeping them (a 200,000-user sync is 200,000 recorded
 * mailbox reads), and injects the planned 429s: the stand-in records a request before it answers
 * it, so a `failNext` scripted on the k-th matching request answers that very request.
 */
function tally(graph) {
  const t = { deltaGets: 0, deltaPages: 0, batches: 0, mailboxReads: 0, injected: 0, plan: null, times: [] };
  graph.requests.push = function push(r) {
    const key = `${r.method} ${r.path}`;
    if (r.inBatch) {
      if (MAILBOX.test(key)) t.mailboxReads += 1;
      return 0;
    }
    t.times.push(r.at);
    if (/^GET \/v1\.0\/users\/delta/.test(key)) {
      t.deltaGets += 1;
      if (DELTA_PAGE.test(key)) {
        t.deltaPages += 1;
        if (t.plan?.deltaPages.has(t.deltaPages)) {
          t.plan.deltaPages.delete(t.deltaPages);
          graph.failNext(DELTA_PAGE, 429, 1, { 'Retry-After': '1' });
          t.injected += 1;
        }
      }
    } else if (BATCH_CALL.test(key)) {
      t.batches += 1;
      if (t.plan?.subRequests.has(t.batches)) {
        t.plan.subRequests.delete(t.batches);
        graph.failNext(MAILBOX, 429, 1, { 'Retry-After': '1' });
        t.injected += 1;
      } else if (t.plan?.batches.has(t.batches)) {
        t.plan.batches.delete(t.batches);
        graph.failNext(BATCH_CALL, 429, 1, { 'Retry-After': '1' });
        t.injected += 1;
      }
    }
    return 0;
  };
  t.reset = (plan = null) => {
    Object.assign(t, { deltaGets: 0, deltaPages: 0, batches: 0, mailboxReads: 0, injected: 0, plan, times: [] });
  };
  return t;
}

/** 429s with Retry-After 1: two delta pages (a third and two thirds in), a mailbox read inside a $batch and a whole $batch. */
function throttlePlan(users, active) {
  const pages = Math.ceil(users / PAGE);
  const batches = Math.ceil(active / BATCH);
  const at = (n, f) => Math.max(1, Math.floor(n * f));
  return {
    deltaPages: new Set(pages > 1 ? [at(pages - 1, 1 / 3), at(pages - 1, 2 / 3)] : []),
    subRequests: new Set(batches > 2 ? [at(batches, 1 / 3)] : []),
    batches: new Set(batches > 2 ? [at(batches, 2 / 3) + 1] : []),
  };
}

/** A sliding-window pacer: at most `max` sends in any second (sequential callers). */
function pacer(max) {
  if (!max) return async () => undefined;
  const sent = [];
  return async () => {
    for (;;) {
      const now = Date.now();
      while (sent.length && now - sent[0] >= 1000) sent.shift();
      if (sent.length < max) break;
      await c.sleep(sent[0] + 1000 - now);
    }
    sent.push(Date.now());
  };
}

/**
 * The baseline: every delta page from `start` (or a new enumeration) with the product's select,
 * token and page size, then the mailbox settings of every active user in $batch calls of 20; one call
 * at a time, honouring Retry-After; JSON parsed; no database.
 */
async function bareReads(graph, tenantId, { start = null, limit = 0 } = {}) {
  const { GRAPH_USER_SELECT } = c.dist('service/src/domain/directory');
  const tokenRes = await fetch(`${graph.base}/${tenantId}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: 'graph-client', client_secret: 'graph-secret-for-tests', scope: 'https://graph.microsoft.com/.default', grant_type: 'client_credentials' }),
  });
  const token = (await tokenRes.json()).access_token;
  const pace = pacer(limit);
  let throttled = 0;
  const call = async (url, init) => {
    for (;;) {
      await pace();
      const res = await fetch(url, { ...init, headers: { authorization: `Bearer ${token}`, ...(init.headers ?? {}) } });
      const body = await res.json();
      if (res.status === 429) {
        throttled += 1;
        await c.sleep(Number(res.headers.get('retry-after') || 1) * 1000);
        continue;
      }
      if (res.status !== 200) throw new Error(`baseline: ${init.method ?? 'GET'} ${url} answered ${res.status}`);
      const sub = (body.responses ?? []).find((r) => r.status === 429);
      if (sub) {
        throttled += 1;
        await c.sleep(Number(sub.headers?.['Retry-After'] || 1) * 1000);
        continue;
      }
      return body;
    }
  };
  const t0 = performance.now();
  let url = start ?? `${graph.base}/v1.0/users/delta?$select=${GRAPH_USER_SELECT.join(',')}`;
  const active = [];
  let pages = 0;
  let users = 0;
  for (;;) {
    const page = await call(url, { headers: { Prefer: `odata.maxpagesize=${PAGE}` } });
    pages += 1;
    users += page.value.length;
    for (const u of page.value) if (!u['@removed'] && u.accountEnabled !== false) active.push(u.id);
    if (!page['@odata.nextLink']) break;
    url = page['@odata.nextLink'];
  }
  const usersMs = performance.now() - t0;
  let batches = 0;
  for (let i = 0; i < active.length; i += BATCH) {
    const requests = active.slice(i, i + BATCH).map((id, n) => ({ id: String(n), method: 'GET', url: `/users/${encodeURIComponent(id)}/mailboxSettings?$select=timeZone,workingHours` }));
    await call(`${graph.base}/v1.0/$batch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ requests }) });
    batches += 1;
  }
  const seconds = (performance.now() - t0) / 1000;
  return { seconds, usersSeconds: usersMs / 1000, pages, users, active: active.length, batches, throttled, usersPerSecond: users / seconds, pacedAt: limit || null };
}

/** A GET as the tab makes it, timed; past PROBE_TIMEOUT_MS it is abandoned and counts as that long (a lower bound) and as a timeout. */
const PROBE_TIMEOUT_MS = Number(process.env.DIRECTORY_PROBE_TIMEOUT_MS || 120_000);
async function timedGet(baseUrl, url, token) {
  const t0 = performance.now();
  try {
    const res = await fetch(`${baseUrl}${url}`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    await res.arrayBuffer();
    return { status: res.status, ms: performance.now() - t0 };
  } catch (err) {
    return { status: err?.name === 'TimeoutError' ? 'timeout' : 'error', ms: performance.now() - t0 };
  }
}

/** The tab's directory reads: the admin's people list and the owner's people picker, `n` of each in turn (fewer past `budgetMs`, at least one). */
async function probe(s, tokens, n, into, budgetMs = Infinity) {
  const t0 = Date.now();
  for (let i = 0; i < n && !(i >= 1 && Date.now() - t0 > budgetMs); i++) {
    const search = SEARCHES[(into.i = (into.i ?? 0) + 1) % SEARCHES.length];
    for (const [kind, url, token] of [
      ['list', '/api/admin/users?limit=50', tokens.admin],
      ['picker', `/api/directory/people?search=${search}`, tokens.owner],
    ]) {
      const r = await timedGet(s.baseUrl, url, token);
      if (r.status !== 200) into.errors = (into.errors ?? 0) + 1;
      if (r.status === 'timeout') into.timeouts = (into.timeouts ?? 0) + 1;
      (into[kind] ??= []).push(r.ms);
    }
  }
  return into;
}
const stats = (ms) => ({ n: ms?.length ?? 0, p50: c.percentile(ms ?? [], 50), p95: c.percentile(ms ?? [], 95), max: ms?.length ? Math.max(...ms) : null });

function cpuOf(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return null;
  }
}
function cpuSnapshot(ctx, s) {
  const u = process.cpuUsage();
  return { workers: s.workers.cpuSeconds(), api: s.api.cpuSeconds(), ferretdb: ctx.ferret ? cpuOf(ctx.ferret.pid) : null, bench: (u.user + u.system) / 1e6 };
}
function cpuDelta(a, b) {
  return Object.fromEntries(Object.keys(a).map((k) => [k, a[k] == null || b[k] == null ? null : c.round(b[k] - a[k], 1)]));
}

/** Waits for a run started after `since` to succeed, sampling progress every second; stops at `maxS`. */
async function follow(ctx, s, tenantId, since, { maxS, onTick } = {}) {
  const t0 = Date.now();
  const phases = {};
  const timeline = [];
  let last = null;
  let lastLog = 0;
  for (;;) {
    const elapsed = (Date.now() - t0) / 1000;
    const st = await s.models.DirectorySync.findOne({ tenantId }, { status: 1, phase: 1, pages: 1, counts: 1, finishedAt: 1, mode: 1, runId: 1, error: 1, people: 1 }).lean();
    if (st?.phase && !(st.phase in phases)) phases[st.phase] = elapsed;
    const point = { t: c.round(elapsed, 1), status: st?.status ?? null, phase: st?.phase ?? null, pages: st?.pages ?? 0, seen: st?.counts?.seen ?? 0, mailbox: st?.counts?.mailbox ?? 0 };
    timeline.push(point);
    last = st;
    onTick?.(point);
    if (st?.status === 'succeeded' && st.finishedAt && st.finishedAt.getTime() >= since) return { done: true, seconds: elapsed, phases, timeline, state: st };
    if (st?.status === 'failed' && st.finishedAt && st.finishedAt.getTime() >= since) throw new Error(`directory sync failed: ${JSON.stringify(st.error)}`);
    if (elapsed - lastLog >= 10) {
      lastLog = elapsed;
      ctx.log(`    ${elapsed.toFixed(0)} s: ${st?.status ?? '-'} ${st?.phase ?? ''}, ${point.pages} pages, ${point.seen} seen, ${point.mailbox} mailboxes`);
    }
    if (maxS && elapsed > maxS) return { done: false, seconds: elapsed, phases, timeline, state: last };
    if (!s.workers.alive()) throw new Error(`workers exited:\n${s.workers.tail()}`);
    await c.sleep(1000);
  }
}

/** How long single database reads of the shapes the sync makes take now, on the synced directory. */
async function diagnose(s, tenantId, sampleIds) {
  const time = async (fn) => {
    const t0 = performance.now();
    await fn();
    return c.round(performance.now() - t0, 1);
  };
  const out = {};
  // What findIn does on FerretDB for more than its per-value limit (each delta page, by userId).
  out.tenantScanMs = await time(async () => {
    let n = 0;
    for await (const _ of s.models.User.find({ tenantId }, { userId: 1, upn: 1 }).lean().cursor({ batchSize: 1000 })) n += 1;
    out.tenantScanDocs = n;
  });
  // One equality read and one update by the unique key (what each bulkWrite statement is on FerretDB).
  out.findOneMs = await time(() => s.models.User.find({ tenantId, userId: sampleIds[0] }, { userId: 1 }).lean());
  out.updateOneMs = await time(() => s.models.User.updateOne({ tenantId, userId: sampleIds[1] }, { $set: { 'graph.at': new Date() } }));
  return out;
}

async function run(ctx) {
  const { GraphStandIn, APP_ROLE } = c.loadStandIns();
  const { generateUsers } = require(require('node:path').join(c.ROOT, 'test/support/graph.ts'));
  const result = { title: 'Directory sync from Microsoft Graph', config: { n: N, pageSize: PAGE, graphMaxPerSecond: LIMIT, maxSeconds: MAX_S, probeEverySeconds: PROBE_EVERY_S, changedShare: CHANGED } };
  const graph = await GraphStandIn.start();
  c.cleanups.push(() => graph.close());
  const t = tally(graph);
  const tenantId = randomUUID();
  const users = generateUsers(N);
  graph.setUsers(users);
  const active = users.filter((u) => u.accountEnabled !== false).length;
  result.config.active = active;

  // ── baselines ──
  ctx.log(`  bare reads of the stand-in: ${N} users in pages of ${PAGE}, ${Math.ceil(active / BATCH)} $batch mailbox calls, with the same 429s`);
  t.reset(throttlePlan(N, active));
  result.bare = await bareReads(graph, tenantId);
  ctx.log(`    unpaced: ${result.bare.seconds.toFixed(1)} s (${Math.round(result.bare.usersPerSecond)} users/s), ${result.bare.pages} pages, ${result.bare.batches} batches, ${result.bare.throttled} throttled`);
  t.reset(throttlePlan(N, active));
  result.barePaced = await bareReads(graph, tenantId, { limit: LIMIT });
  ctx.log(`    paced at ${LIMIT}/s: ${result.barePaced.seconds.toFixed(1)} s (${Math.round(result.barePaced.usersPerSecond)} users/s)`);

  const s = await c.startStack(ctx, 'directory', { env: { ...graph.env(), GRAPH_MAX_PER_SECOND: String(LIMIT), ...(process.env.DIRECTORY_PAGE_SIZE ? { GRAPH_DELTA_PAGE_SIZE: String(PAGE) } : {}) } });
  const rss = { samples: [], peak: 0, apiPeak: 0 };
  const sampler = setInterval(() => {
    const w = s.workers.rss();
    const a = s.api.rss();
    if (w) rss.peak = Math.max(rss.peak, w);
    if (a) rss.apiPeak = Math.max(rss.apiPeak, a);
    rss.samples.push([Date.now(), w, a]);
  }, 1000);
  try {
    await c.waitWorkers(s);
    const admin = { userId: randomUUID(), name: 'Ada Admin' };
    const owner = { userId: randomUUID(), name: 'Owen Owner' };
    const tokens = {
      admin: await ctx.entra.token({ tenantId, userId: admin.userId, name: admin.name, roles: [APP_ROLE.admin] }),
      owner: await ctx.entra.token({ tenantId, userId: owner.userId, name: owner.name, roles: [APP_ROLE.owner] }),
    };
    const saved = await c.request(s.baseUrl, 'PUT', '/api/admin/directory/settings', {
      token: tokens.admin,
      body: { orgUnitAttribute: 'department', jobLevelAttribute: 'jobTitle', sources: { orgUnit: 'graph', jobLevel: 'graph', lineManager: 'graph', timeZone: 'graph', workingHours: 'graph' }, syncEnabled: false, syncIntervalMinutes: 60, defaultTimeZone: 'Europe/London' },
    });
    if (saved.status !== 200) throw new Error(`settings answered ${saved.status}: ${saved.text.slice(0, 300)}`);
    const idleBefore = await probe(s, tokens, PROBE_N, {});
    ctx.log(`  tab reads before the sync (empty directory): list p95 ${c.round(c.percentile(idleBefore.list, 95))} ms, picker p95 ${c.round(c.percentile(idleBefore.picker, 95))} ms`);

    // ── full sync ──
    ctx.log(`  full sync of ${N} users (${active} active), pages of ${PAGE}, GRAPH_MAX_PER_SECOND ${LIMIT}, 429s on ${throttlePlan(N, active).deltaPages.size} delta pages and 2 mailbox batches`);
    t.reset(throttlePlan(N, active));
    const rssAtStart = s.workers.rss();
    const cpu0 = cpuSnapshot(ctx, s);
    const since = Date.now();
    const started = await c.request(s.baseUrl, 'POST', '/api/admin/directory/sync', { token: tokens.admin, body: { full: true } });
    if (started.status !== 202) throw new Error(`sync answered ${started.status}: ${started.text.slice(0, 300)}`);
    const during = {};
    let syncing = true;
    // One read of each every PROBE_EVERY_S, or three times as long as the last pair took: the probes
    // must not become a second workload on the database (on FerretDB each read is a scan of the tenant).
    const prober = (async () => {
      let lastMs = 0;
      while (syncing) {
        const wake = Date.now() + Math.max(PROBE_EVERY_S * 1000, 3 * lastMs);
        while (syncing && Date.now() < wake) await c.sleep(Math.min(500, wake - Date.now()));
        const t0 = Date.now();
        if (syncing) await probe(s, tokens, 1, during).catch(() => undefined);
        lastMs = Date.now() - t0;
      }
    })();
    let full;
    let cpu1;
    try {
      full = await follow(ctx, s, tenantId, since, { maxS: MAX_S });
      cpu1 = cpuSnapshot(ctx, s);
    } finally {
      syncing = false;
      await prober;
    }
    const st = full.state;
    const inFull = { deltaGets: t.deltaGets, batches: t.batches, mailboxReads: t.mailboxReads, injected: t.injected, maxCallsIn1s: c.maxInWindow(t.times, 1000) };
    // Each delta page's mailbox reads belong to its 'users' phase; 'finish' is the recount.
    const phaseEnd = (p) => ({ users: full.phases.finish ?? full.seconds, finish: full.seconds })[p];
    const phaseSeconds = Object.fromEntries(['users', 'finish'].filter((p) => p in full.phases).map((p) => [p, c.round(phaseEnd(p) - full.phases[p], 1)]));
    // Users (and mailboxes) per second over the first and the last third of each phase: a falling rate is work growing with the directory.
    const tAt = (field, x) => full.timeline.find((p) => p[field] >= x)?.t ?? null;
    const rateOver = (field, from, to) => {
      const a = from === 0 ? (full.phases.users ?? null) : tAt(field, from);
      const b = tAt(field, to);
      if (to <= from) return null;
      return a != null && b != null && b > a ? (to - from) / (b - a) : null;
    };
    let extrapolatedSeconds = full.seconds;
    if (!full.done) {
      // At the rate seen so far (the finish pass not counted): the users phase, mailboxes included, for all N.
      const seen = st?.counts?.seen ?? 0;
      const usersRate = seen / Math.max(1, full.seconds - (full.phases.users ?? 0));
      extrapolatedSeconds = (full.phases.users ?? 0) + N / Math.max(usersRate, 1e-9);
    }
    result.full = {
      completed: full.done,
      seconds: full.seconds,
      extrapolatedSeconds,
      usersPerSecond: N / extrapolatedSeconds,
      mode: st?.mode,
      pages: st?.pages ?? 0,
      counts: st?.counts ?? {},
      people: st?.people ?? null,
      phaseStart: full.phases,
      phaseSeconds,
      seenPerSecond: { firstThird: rateOver('seen', 0, Math.round(N / 3)), lastThird: rateOver('seen', Math.round((2 * N) / 3), N) },
      mailboxesPerSecond: { firstThird: rateOver('mailbox', 0, Math.round(active / 3)), lastThird: rateOver('mailbox', Math.round((2 * active) / 3), st?.counts?.mailbox ?? 0) },
      graph: inFull,
      cpuSeconds: cpuDelta(cpu0, cpu1),
      workersRssStart: rssAtStart,
      workersRssPeak: rss.peak,
      apiRssPeak: rss.apiPeak,
      timeline: full.timeline.filter((_, i, a) => i % 10 === 0 || i === a.length - 1),
    };
    const f = result.full;
    ctx.log(`    ${f.completed ? 'succeeded' : 'STOPPED at the time budget'} in ${f.seconds.toFixed(0)} s (${c.round(f.usersPerSecond, 2)} users/s${f.completed ? '' : `, extrapolated: ${c.round(f.extrapolatedSeconds / 3600, 1)} h for all`}): ${f.pages} pages, ${inFull.batches} $batch calls, ${inFull.injected} 429s; phases ${JSON.stringify(phaseSeconds)}; workers RSS peak ${c.mib(rss.peak)} MiB; CPU s ${JSON.stringify(f.cpuSeconds)}`);

    // ── tab reads, idle on the synced directory ──
    // Stopped at the budget: the workers are stopped first, so the idle reads see the partly synced directory with no sync running.
    if (!full.done) await s.workers.stop();
    const idleAfter = await probe(s, tokens, PROBE_N, {}, 90_000);
    result.tab = {
      idleBefore: { list: stats(idleBefore.list), picker: stats(idleBefore.picker), errors: idleBefore.errors ?? 0 },
      during: { list: stats(during.list), picker: stats(during.picker), errors: during.errors ?? 0, timeouts: during.timeouts ?? 0 },
      idleAfter: { list: stats(idleAfter.list), picker: stats(idleAfter.picker), errors: idleAfter.errors ?? 0 },
      idleAfterWorkersStopped: !full.done,
    };
    ctx.log(`  tab reads during the sync: list p95 ${c.round(result.tab.during.list.p95)} ms, picker p95 ${c.round(result.tab.during.picker.p95)} ms; idle after: list p95 ${c.round(result.tab.idleAfter?.list.p95)} ms, picker p95 ${c.round(result.tab.idleAfter?.picker.p95)} ms`);

    result.diagnostics = await diagnose(s, tenantId, [users[1].id, users[2].id]);
    ctx.log(`  single statements on the ${full.done ? '' : 'partly '}synced directory: ${JSON.stringify(result.diagnostics)}`);
    if (full.done) {
      // ── incremental: 1% changed ──
      const changed = Math.max(10, Math.round(N * CHANGED));
      const removals = Math.max(3, Math.round(changed / 20));
      const managers = users.filter((_, i) => 8 * i + 1 < N).map((u) => u.id);
      let k = 0;
      // A stride coprime with N − 1 visits every user but the CEO once, spread over the organisation.
      const gcd = (a, b) => (b ? gcd(b, a % b) : a);
      let stride = 7919;
      while (gcd(stride, N - 1) !== 1) stride += 2;
      const pick = (i) => users[1 + ((i * stride) % (N - 1))];
      const touched = new Set();
      for (let i = 0; touched.size < changed && i < N; i++) {
        const u = pick(i);
        if (touched.has(u.id) || u.accountEnabled === false) continue;
        touched.add(u.id);
        if (touched.size <= removals) graph.removeUser(u.id);
        else if (k++ % 2) graph.updateUser(u.id, { department: `${u.department} (reorganised)` });
        else graph.updateUser(u.id, { managerId: managers[(i * 31) % managers.length] === u.id ? managers[0] : managers[(i * 31) % managers.length] });
      }
      const deltaLink = (await s.models.DirectorySync.findOne({ tenantId }, { deltaLink: 1 }).lean())?.deltaLink;
      t.reset(null);
      result.bareIncremental = await bareReads(graph, tenantId, { start: deltaLink, limit: LIMIT });
      ctx.log(`  incremental: ${changed} changed (${removals} removed); bare reads of that delta at ${LIMIT}/s: ${result.bareIncremental.seconds.toFixed(2)} s`);
      t.reset(null);
      const since2 = Date.now();
      const r = await c.request(s.baseUrl, 'POST', '/api/admin/directory/sync', { token: tokens.admin, body: { full: false } });
      if (r.status !== 202) throw new Error(`sync answered ${r.status}: ${r.text.slice(0, 300)}`);
      const inc = await follow(ctx, s, tenantId, since2, { maxS: MAX_S });
      const departed = await s.models.User.countDocuments({ tenantId, userId: { $in: [...touched].slice(0, removals) }, departedAt: { $ne: null } });
      result.incremental = {
        completed: inc.done,
        seconds: inc.seconds,
        changed,
        removals,
        mode: inc.state?.mode,
        pages: inc.state?.pages,
        counts: inc.state?.counts,
        phaseStart: inc.phases,
        departedFound: departed,
        graph: { deltaGets: t.deltaGets, batches: t.batches, mailboxReads: t.mailboxReads },
      };
      ctx.log(`    ${inc.done ? 'succeeded' : 'STOPPED'} in ${inc.seconds.toFixed(1)} s (${inc.state?.mode}), ${t.batches} $batch calls, ${departed} of ${removals} removals marked departed; counts ${JSON.stringify(inc.state?.counts)}`);
    }
  } finally {
    clearInterval(sampler);
    result.workersRss = rss.samples.filter((_, i) => i % 5 === 0).map(([at, w, a]) => ({ at, workersMiB: c.mib(w), apiMiB: c.mib(a) }));
    await s.stop();
  }

  const f = result.full;
  const tab = result.tab;
  const ratio = (a, b) => (a != null && b ? c.round(a / b, 2) : null);
  const idle = tab.idleAfter;
  const idleLabel = (kind) => `idle on the ${f.completed ? 'synced' : 'partly synced (workers stopped)'} directory: ${c.round(idle[kind].p50)} / ${c.round(idle[kind].p95)} ms (empty, before: ${c.round(tab.idleBefore[kind].p50)} / ${c.round(tab.idleBefore[kind].p95)} ms)`;
  result.table = [
    {
      figure: `directory: full sync of ${N.toLocaleString('en')} users, pages of ${PAGE}, ${f.graph.injected} 429s, GRAPH_MAX_PER_SECOND ${LIMIT}${f.completed ? '' : ' (STOPPED at budget)'}`,
      value: f.completed
        ? `${c.round(f.seconds, 0)} s (${c.round(f.usersPerSecond, 0)} users/s; ${f.pages} pages, ${f.graph.batches} $batch; users and mailboxes ${f.phaseSeconds.users ?? '-'} s, finish ${f.phaseSeconds.finish ?? '-'} s)`
        : `${f.counts.seen ?? 0} seen, ${f.counts.mailbox ?? 0} mailboxes in ${c.round(f.seconds, 0)} s (users and mailboxes ${f.phaseSeconds.users ?? '-'} s so far) → ≥${f.extrapolatedSeconds > 7200 ? `${c.round(f.extrapolatedSeconds / 3600, 1)} h` : `${c.round(f.extrapolatedSeconds / 60, 0)} min`} for all at those rates`,
      baseline: `bare reads at ${LIMIT}/s: ${c.round(result.barePaced.seconds, 1)} s (${c.round(result.barePaced.usersPerSecond, 0)} users/s; unpaced ${c.round(result.bare.seconds, 1)} s)`,
      ratio: c.round(f.usersPerSecond / result.barePaced.usersPerSecond, 3),
    },
    {
      figure: 'directory: workers peak RSS during the full sync (sampled every 1 s)',
      value: `${c.round(f.workersRssPeak / 1e6, 0)} MB (${c.round(f.workersRssStart / 1e6, 0)} MB at the start)`,
      baseline: 'goal: under 300 MB, flat',
      ratio: c.round(f.workersRssPeak / (300 * 1e6), 2),
    },
  ];
  if (result.incremental) {
    const inc = result.incremental;
    result.table.push({
      figure: `directory: incremental sync, ${inc.changed.toLocaleString('en')} changed (${inc.removals} removed)`,
      value: `${c.round(inc.seconds, 1)} s${inc.completed ? '' : ' (STOPPED at budget)'} (${inc.graph.batches} $batch)`,
      baseline: `bare reads of that delta at ${LIMIT}/s: ${c.round(result.bareIncremental.seconds, 2)} s`,
      ratio: c.round(inc.seconds / result.bareIncremental.seconds, 1),
    });
  }
  for (const [kind, label] of [
    ['list', "admin's people list (GET /api/admin/users?limit=50)"],
    ['picker', "owner's people picker (GET /api/directory/people?search=…)"],
  ]) {
    result.table.push({
      figure: `tab: ${label} during the full sync, p50 / p95`,
      value: tab.during[kind].n ? `${c.round(tab.during[kind].p50)} / ${c.round(tab.during[kind].p95)} ms (${tab.during[kind].n} reads${tab.during.timeouts ? `; ${tab.during.timeouts} of all abandoned at ${PROBE_TIMEOUT_MS / 1000} s, counted as that` : ''})` : 'n/a (done before the first probe)',
      baseline: idleLabel(kind),
      ratio: ratio(tab.during[kind].p95, idle[kind].p95),
    });
  }
  return result;
}

module.exports = { name: 'directory', run };
