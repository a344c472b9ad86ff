#!/usr/bin/env node
// Console Live page benchmark (issue 9, point 5: "the live page keeps up with 200 concurrent sessions without
// freezing"). Starts crossvoice with the e2e harness (sandbox defaults, fresh data dir, loopback port), signs the
// console in with Debian's Chromium (playwright-core, headless), opens the Live page and, on a fresh page per
// scenario, measures frame times with requestAnimationFrame, long tasks with PerformanceObserver('longtask') and
// the renderer main thread's busy time (CDP Performance.getMetrics) while
//
//   idle     200 sessions on the page, no events (the ceiling: what the page costs with nothing happening)
//   1x, 10x  200 sessions, each sending 1 (then 10) events a second, fed through the page's own hook
//            window.crossvoiceLive.inject(events): the page is measured, not the network
//   stream   a smaller real load: SHANGO chats, agent take-overs and sandbox calls created through the API,
//            arriving over the page's WebSocket from the service's event stream
//
// Each scenario runs BENCH_ROUNDS times (default 2) to show the spread. Prints the table and writes it into
// docs/BENCHMARKS.md between the console_live markers (appended when they are absent).
//
//   node bench/console_live.mjs [--out FILE]
//
// Environment: CROSSVOICE_BINARY (the crossvoice executable; default <repo>/bin/crossvoice), BENCH_SESSIONS (200),
// BENCH_RATES ("1 10": events per session per second, one row each), BENCH_DURATION (20 s measured),
// BENCH_WARMUP (5 s), BENCH_ROUNDS (2), BENCH_STREAM (1: run the real-stream scenario; 0 skips it),
// BENCH_STREAM_CHATS (30), BENCH_STREAM_RATE (10 customer messages/s), BENCH_STREAM_CALLS (3 sandbox call loops),
// BENCH_STREAM_CALL_GAP_MS (3000: each loop starts a call at most this often).
// Needs a built front end (scripts/build-web.sh) and /usr/bin/chromium.

import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg, release, arch } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
if (!process.env.CROSSVOICE_BINARY) process.env.CROSSVOICE_BINARY = path.join(repoRoot, 'bin', 'crossvoice');
const harness = await import(path.join(repoRoot, 'web', 'e2e', 'harness.mjs'));
const { startService, launchBrowser, newPage, signInConsole, webDir, chromiumPath } = harness;

const BEGIN = '<!-- console_live:begin -->';
const END = '<!-- console_live:end -->';
const outIndex = process.argv.indexOf('--out');
const outFile = path.resolve(outIndex > 0 ? process.argv[outIndex + 1] : path.join(repoRoot, 'docs', 'BENCHMARKS.md'));
if (process.argv.includes('--help') || process.argv.includes('-h')) {
    console.log('usage: node bench/console_live.mjs [--out FILE]   (see the header of this file and bench/README.md)');
    process.exit(0);
}

const num = (name, fallback) => {
    const value = process.env[name];
    if (value === undefined || value === '') return fallback;
    const parsed = Number(String(value).replace(/s$/, ''));
    if (!Number.isFinite(parsed) || parsed < 0) throw new Error(`${name}=${value} is not a number`);
    return parsed;
};
const SESSIONS = num('BENCH_SESSIONS', 200);
const RATES = (process.env.BENCH_RATES || '1 10').trim().split(/\s+/).map(Number);
const DURATION_S = num('BENCH_DURATION', 20);
const WARMUP_S = num('BENCH_WARMUP', 5);
const ROUNDS = num('BENCH_ROUNDS', 2);
const STREAM = process.env.BENCH_STREAM !== '0';
const STREAM_CHATS = num('BENCH_STREAM_CHATS', 30);
const STREAM_RATE = num('BENCH_STREAM_RATE', 10);
const STREAM_CALLS = num('BENCH_STREAM_CALLS', 3);
const STREAM_CALL_GAP_MS = num('BENCH_STREAM_CALL_GAP_MS', 3000);
// The criterion ("without freezing"), judged on every 1 event/s run.
const MAX_FRAME_MS = 200;
const MAX_P99_MS = 50;
const DROPPED_MS = 50;

for (const [what, file] of [
    ['crossvoice binary (CROSSVOICE_BINARY)', process.env.CROSSVOICE_BINARY],
    ['Chromium', chromiumPath()],
    ['built console (scripts/build-web.sh)', path.join(webDir(), 'console', 'index.html')],
]) {
    if (!existsSync(file)) {
        console.error(`console_live: ${what} missing: ${file}`);
        process.exit(1);
    }
}

// ---- in the page -------------------------------------------------------------------------------------------------

// Installs window.__bench: a synthetic contact centre (`sessions` concurrent calls and chats) and the meters.
// Runs inside the page (page.evaluate), so it must not reference anything outside itself.
function installBench() {
    let seed = 12345;
    const random = () => {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        return seed / 0x7fffffff;
    };
    const pick = (list) => list[Math.floor(random() * list.length) % list.length];
    const personas = ['Ada', 'Kofi', 'Zainab', 'Tunde'];
    const chatChannels = ['chat', 'sms', 'whatsapp'];
    const lines = [
        'I was charged twice for my last order, can you check?',
        'My fax to the clinic keeps failing at page two.',
        'Sure, I can help with that. Could you give me the order number?',
        'It is 48213, placed on Tuesday.',
        'Thanks, I see the duplicate charge and have asked for a refund.',
        'How long does the refund take to reach my card?',
        'Usually three to five working days.',
        'Can I change the delivery address for the parcel?',
    ];
    const live = [];   // {id, voice, channel, callId, callState, owner, n}
    let counter = 0;
    const iso = () => new Date().toISOString();
    const ev = (type, sessionId, data) => ({ id: null, type, platform: 'tetrix', sessionId, at: iso(), data });

    function open(out) {
        const i = counter++;
        const voice = i % 5 < 2;  // 40% calls, 60% chats
        const s = { id: `ses_bench${String(i).padStart(7, '0')}`, voice, channel: voice ? 'voice' : chatChannels[i % 3],
            callId: `call_bench${i}`, callState: 'initiated', owner: 'assistant', n: 0, from: `+1202555${String(1000 + (i % 9000)).padStart(4, '0')}` };
        live.push(s);
        out.push(ev('session.status', s.id, { status: 'active', channel: s.channel }));
        if (voice) out.push(ev('call.state', s.id, { callId: s.callId, state: 'initiated', direction: 'inbound', from: s.from, to: '+12025550100' }));
        return s;
    }
    function call(s, state, out) {
        s.callState = state;
        out.push(ev('call.state', s.id, { callId: s.callId, state, direction: 'inbound', from: s.from, to: '+12025550100' }));
    }
    function message(s, out) {
        s.n += 1;
        const author = s.owner === 'agent' ? pick(['customer', 'agent']) : pick(['customer', 'assistant']);
        const data = { messageId: `msg_${s.id}_${s.n}`, author, content: pick(lines), type: s.voice ? 'transcription' : 'text',
            channel: s.channel, createdAt: iso(), direction: author === 'customer' ? 'inbound' : 'outbound' };
        if (author === 'assistant') data.metadata = { persona: pick(personas) };
        out.push(ev('message', s.id, data));
    }
    // One event of a random session: what a busy contact centre sends (state changes, messages, typing, owners, and
    // now and then a session that ends and a new one that starts, so the count stays at `sessions`).
    function step(out) {
        const index = Math.floor(random() * live.length) % live.length;
        const s = live[index];
        const r = random();
        if (r < 0.005) {
            if (s.voice) call(s, 'completed', out);
            out.push(ev('session.status', s.id, { status: 'ended', channel: s.channel }));
            live.splice(index, 1);
            open(out);
            return;
        }
        if (s.voice && s.callState !== 'answered') return call(s, s.callState === 'initiated' ? 'ringing' : 'answered', out);
        if (r < 0.10) {
            s.owner = s.owner === 'agent' ? 'assistant' : 'agent';
            out.push(ev('conversation.owner', s.id, { owner: s.owner }));
        } else if (r < 0.35 && !s.voice) {
            out.push(ev('typing', s.id, { channel: s.channel, typing: true }));
        } else if (r < 0.40) {
            // A state change that leaves the row where it was (status re-announced; a call re-answered after a transfer).
            if (s.voice) call(s, 'answered', out);
            else out.push(ev('session.status', s.id, { status: 'active', channel: s.channel }));
        } else {
            message(s, out);
        }
    }

    const bench = {
        seed(sessions) {
            const out = [];
            for (let i = 0; i < sessions; i++) open(out);
            for (const s of live) if (s.voice) { call(s, 'ringing', out); call(s, 'answered', out); }
            for (const s of live) message(s, out);
            window.crossvoiceLive.inject(out);
            return out.length;
        },
        // Feeds `perSecond` events a second (0: none) for warm-up + duration and measures the last `durationMs`.
        async run({ perSecond, warmupMs, durationMs, tickMs = 20 }) {
            const store = window.crossvoiceLive.store;
            let timer = 0;
            let sent = 0;
            const feedStart = performance.now();
            if (perSecond > 0) {
                timer = setInterval(() => {
                    const due = Math.floor(((performance.now() - feedStart) / 1000) * perSecond) - sent;
                    if (due <= 0) return;
                    const out = [];
                    for (let i = 0; i < due; i++) step(out);
                    sent += due;
                    window.crossvoiceLive.inject(out);
                }, tickMs);
            }
            await new Promise((resolve) => setTimeout(resolve, warmupMs));
            const frames = [];
            const longTasks = [];
            let last = null;
            let measuring = true;
            const observer = new PerformanceObserver((list) => {
                for (const entry of list.getEntries()) longTasks.push(entry.duration);
            });
            observer.observe({ type: 'longtask' });
            const start = performance.now();
            const eventsBefore = store.eventsSeen;
            const types = {};
            const unsubscribe = store.onEvent((event) => {
                types[event.type] = (types[event.type] || 0) + 1;
            });
            const versionBefore = store.version;
            await new Promise((resolve) => {
                const loop = (t) => {
                    if (last !== null) frames.push(t - last);
                    last = t;
                    if (t - start >= durationMs) {
                        measuring = false;
                        resolve();
                    } else requestAnimationFrame(loop);
                };
                requestAnimationFrame(loop);
            });
            const elapsed = performance.now() - start;
            observer.disconnect();
            unsubscribe();
            clearInterval(timer);
            const rows = document.querySelectorAll('tr[data-session]').length;
            return {
                frames, longTasks, elapsedMs: elapsed, measuring,
                events: store.eventsSeen - eventsBefore, renders: store.version - versionBefore,
                rows, sessions: store.sessions.size, types,
            };
        },
    };
    window.__bench = bench;
    return true;
}

// ---- in Node -----------------------------------------------------------------------------------------------------

function percentile(sorted, p) {
    if (sorted.length === 0) return NaN;
    return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

function summarise(name, round, raw, busy) {
    const sorted = [...raw.frames].sort((a, b) => a - b);
    return {
        name, round,
        eventsPerSecond: raw.events / (raw.elapsedMs / 1000),
        frames: sorted.length,
        fps: sorted.length / (raw.elapsedMs / 1000),
        p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted[sorted.length - 1],
        dropped: sorted.filter((f) => f > DROPPED_MS).length,
        longTaskCount: raw.longTasks.length,
        longTaskMs: raw.longTasks.reduce((a, b) => a + b, 0),
        busy,
        rendersPerSecond: raw.renders / (raw.elapsedMs / 1000),
        rows: raw.rows,
    };
}

async function openLive(browser, service) {
    const page = await newPage(browser);
    await signInConsole(page, service, service.keys.tetrix);
    await page.getByRole('heading', { name: 'Live' }).waitFor();
    await page.locator('.connection-open').waitFor({ timeout: 15000 });
    await page.waitForFunction(() => window.crossvoiceLive && window.crossvoiceLive.store.loaded, null, { timeout: 15000 });
    await page.evaluate(installBench);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    return { page, cdp };
}

// The page's own errors, less the 404s the Live page expects (a session that is not a SHANGO conversation).
function pageProblems(page) {
    return page.problems.filter((problem) => !/Failed to load resource: .*status of 404/.test(problem));
}

async function taskSeconds(cdp) {
    const { metrics } = await cdp.send('Performance.getMetrics');
    return Object.fromEntries(metrics.map((m) => [m.name, m.value]));
}

// One injected scenario on a fresh page: seed `SESSIONS`, settle, then feed `perSecond` events a second.
async function injectedScenario(browser, service, name, perSecond, round) {
    const { page, cdp } = await openLive(browser, service);
    try {
        await page.evaluate((n) => window.__bench.seed(n), SESSIONS);
        await page.locator('tr[data-session]').nth(SESSIONS - 1).waitFor({ timeout: 15000 });
        await page.waitForTimeout(1000);
        const before = await taskSeconds(cdp);
        const wallBefore = Date.now();
        const raw = await page.evaluate((options) => window.__bench.run(options), { perSecond, warmupMs: WARMUP_S * 1000, durationMs: DURATION_S * 1000 });
        const after = await taskSeconds(cdp);
        // TaskDuration covers warm-up + run; so does the wall clock here.
        const busy = (after.TaskDuration - before.TaskDuration) / ((Date.now() - wallBefore) / 1000);
        if (pageProblems(page).length) throw new Error(`${name}: the page reported errors:\n${pageProblems(page).join('\n')}`);
        if (raw.rows !== SESSIONS) throw new Error(`${name}: ${raw.rows} rows on the page, ${SESSIONS} expected`);
        return summarise(name, round, raw, busy);
    } finally {
        await page.context().close();
    }
}

// The real event stream: SHANGO chats (customer messages answered by SHANGO, agents taking over and handing back)
// and sandbox calls through the TETRIX main flow, all through the API; the page gets them over its WebSocket.
async function streamScenario(browser, service, round) {
    const key = service.keys.tetrix;
    const chats = [];
    for (let i = 0; i < STREAM_CHATS; i++) {
        const created = await service.api('POST', '/api/v1/shango/sessions', { key, body: { userId: `bench-visitor-${round}-${i}` } });
        if (created.status !== 201) throw new Error(`stream: creating a SHANGO session answered ${created.status}: ${created.text}`);
        chats.push({ id: created.body.sessionId, owner: 'assistant', n: 0 });
    }
    const { page, cdp } = await openLive(browser, service);
    const failures = [];
    let stop = false;
    let messages = 0;
    let ownerChanges = 0;
    let calls = 0;
    const inFlight = new Set();
    const questions = ['How do I send a fax?', 'I was charged twice for my order.', 'Can I change my delivery address?', 'What are your opening hours?'];
    const chatLoop = async () => {
        const started = Date.now();
        let next = 0;
        while (!stop) {
            const due = Math.floor(((Date.now() - started) / 1000) * STREAM_RATE);
            if (next >= due) {
                await new Promise((resolve) => setTimeout(resolve, 10));
                continue;
            }
            const chat = chats[next % chats.length];
            next += 1;
            const task = (async () => {
                if (chat.n % 5 === 4) {
                    chat.owner = chat.owner === 'agent' ? 'assistant' : 'agent';
                    const r = await service.api('PUT', `/api/voice/integration/sessions/${chat.id}/owner`, { key, body: { owner: chat.owner } });
                    if (r.status >= 300) failures.push(`owner ${r.status}: ${r.text.slice(0, 200)}`);
                    else ownerChanges += 1;
                }
                chat.n += 1;
                const r = chat.owner === 'agent'
                    ? await service.api('POST', `/api/voice/integration/sessions/${chat.id}/messages`, { key, body: { message: 'Hi, Ana here, looking into it now.' } })
                    : await service.api('POST', `/api/v1/shango/sessions/${chat.id}/messages`, { key, body: { message: questions[chat.n % questions.length] } });
                if (r.status >= 300) failures.push(`message ${r.status}: ${r.text.slice(0, 200)}`);
                else messages += 1;
            })();
            // At most a few requests in flight: the service shares the machine with the browser.
            inFlight.add(task);
            task.finally(() => inFlight.delete(task));
            if (inFlight.size >= 8) await Promise.race(inFlight);
        }
    };
    const callLoop = async () => {
        while (!stop) {
            // Paced: a sandbox call takes well under a second, and each leaves a session (and a row) behind.
            const paced = new Promise((resolve) => setTimeout(resolve, STREAM_CALL_GAP_MS));
            const r = await service.api('POST', '/sandbox/sandbox/texml/calls', {
                body: { to: '+12025550100', script: [{ press: '5' }, { record: 'Please call me back about my order.' }] },
            });
            if (r.status !== 200) failures.push(`call ${r.status}: ${r.text.slice(0, 200)}`);
            else calls += 1;
            await paced;
        }
    };
    try {
        const loops = [chatLoop(), ...Array.from({ length: STREAM_CALLS }, callLoop)];
        const before = await taskSeconds(cdp);
        const wallBefore = Date.now();
        const raw = await page.evaluate((options) => window.__bench.run(options), { perSecond: 0, warmupMs: WARMUP_S * 1000, durationMs: DURATION_S * 1000 });
        const after = await taskSeconds(cdp);
        const busy = (after.TaskDuration - before.TaskDuration) / ((Date.now() - wallBefore) / 1000);
        stop = true;
        await Promise.all(loops);
        await Promise.all(inFlight);
        if (pageProblems(page).length) throw new Error(`stream: the page reported errors:\n${pageProblems(page).join('\n')}`);
        if (failures.length) throw new Error(`stream: ${failures.length} API requests failed, first: ${failures[0]}`);
        const result = summarise('stream', round, raw, busy);
        result.detail = { messages, ownerChanges, calls, types: raw.types, rows: raw.rows };
        return result;
    } finally {
        stop = true;
        await page.context().close();
    }
}

const ms = (v) => (Number.isFinite(v) ? `${v.toFixed(1)} ms` : '–');
const ratio = (v, base) => (Number.isFinite(v) && base > 0 ? `${(v / base).toFixed(2)}×` : '–');

function describe(name) {
    if (name === 'idle') return `idle: ${SESSIONS} sessions, no events (ceiling)`;
    if (name === 'stream') return `real event stream: ${STREAM_CHATS} SHANGO chats + ${STREAM_CALLS} sandbox call loops via the API (smaller scale)`;
    const rate = Number(name.replace('x', ''));
    return `${SESSIONS} sessions × ${rate} event/s (${SESSIONS * rate} events/s injected)`;
}

function table(results) {
    const idle = new Map(results.filter((r) => r.name === 'idle').map((r) => [r.round, r]));
    const head = '| scenario | run | events/s applied | renders/s | frames/s | p50 | p95 | p99 | max | frames > 50 ms | long tasks (total) | main thread busy | p99 ÷ idle p99 | busy ÷ idle busy |\n' +
        '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|';
    const lines = results.map((r) => {
        const base = idle.get(r.round);
        return `| ${describe(r.name)} | ${r.round} | ${r.eventsPerSecond.toFixed(0)} | ${r.rendersPerSecond.toFixed(1)} | ${r.fps.toFixed(1)} | ${ms(r.p50)} | ${ms(r.p95)} | ${ms(r.p99)} | ${ms(r.max)} | ${r.dropped} of ${r.frames} | ${r.longTaskCount} (${r.longTaskMs.toFixed(0)} ms) | ${(r.busy * 100).toFixed(1)}% | ${ratio(r.p99, base?.p99)} | ${ratio(r.busy, base?.busy)} |`;
    });
    return [head, ...lines].join('\n');
}

function verdict(results) {
    const judged = results.filter((r) => r.name === '1x');
    const failing = judged.filter((r) => !(r.max <= MAX_FRAME_MS && r.p99 < MAX_P99_MS));
    const range = (key) => {
        const values = judged.map((r) => r[key]);
        return `${Math.min(...values).toFixed(1)}–${Math.max(...values).toFixed(1)} ms`;
    };
    if (judged.length === 0) return { holds: null, text: 'The 1 event/s scenario was not run (BENCH_RATES), so the criterion was not judged.' };
    const holds = failing.length === 0;
    return {
        holds,
        text: `Criterion ("without freezing": at ${SESSIONS} sessions × 1 event/s no frame over ${MAX_FRAME_MS} ms and p99 under ${MAX_P99_MS} ms): ` +
            `**${holds ? 'holds' : 'does not hold'}** in ${judged.length - failing.length} of ${judged.length} runs (p99 ${range('p99')}, max ${range('max')}).`,
    };
}

async function versionOf(binary) {
    const { execFileSync } = await import('node:child_process');
    try {
        return execFileSync(binary, ['--version'], { encoding: 'utf8' }).trim();
    } catch {
        return 'unknown';
    }
}

async function writeSection(section) {
    let text = existsSync(outFile) ? await readFile(outFile, 'utf8') : '# Benchmarks\n';
    const block = `${BEGIN}\n${section}\n${END}`;
    const begin = text.indexOf(BEGIN);
    const end = text.indexOf(END);
    if (begin >= 0 && end > begin) text = text.slice(0, begin) + block + text.slice(end + END.length);
    else text = text.replace(/\n*$/, '\n\n') + block + '\n';
    await writeFile(outFile, text);
}

async function main() {
    const load = () => loadavg().map((v) => v.toFixed(2)).join(' ');
    const loadBefore = load();
    const started = new Date();
    const results = [];
    const loads = [];
    const service = await startService();
    let browser;
    try {
        browser = await launchBrowser();
        const browserVersion = browser.version();
        for (let round = 1; round <= ROUNDS; round++) {
            const roundLoad = load();
            const scenarios = [['idle', 0], ...RATES.map((rate) => [`${rate}x`, rate * SESSIONS])];
            for (const [name, perSecond] of scenarios) {
                process.stderr.write(`console_live: round ${round}, ${name}…\n`);
                results.push(await injectedScenario(browser, service, name, perSecond, round));
            }
            if (STREAM) {
                // On a service of its own: the sessions it leaves active would otherwise be on the next pages.
                process.stderr.write(`console_live: round ${round}, stream…\n`);
                const streamService = await startService();
                try {
                    results.push(await streamScenario(browser, streamService, round));
                } finally {
                    await streamService.stop();
                }
            }
            loads.push(`run ${round}: ${roundLoad} → ${load()}`);
        }
        const printed = table(results);
        const judged = verdict(results);
        const streams = results.filter((r) => r.detail).map((r) => `run ${r.round}: ${r.detail.messages} messages posted (customer or agent), ${r.detail.ownerChanges} take-overs / hand-backs, ${r.detail.calls} sandbox calls completed, ${r.detail.rows} rows on the page at the end; events received by type: ${Object.entries(r.detail.types).map(([k, v]) => `${k} ${v}`).join(', ')}`);
        const section = [
            '## Console Live page (`bench/console_live.mjs`, `make bench-console`)',
            '',
            'Issue 9, point 5: the Live page keeps up with 200 concurrent sessions without freezing. Generated by',
            '`bench/console_live.mjs`; everything between the console_live markers is rewritten on each run.',
            '',
            `- Date: ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
            `- Machine: ${cpus().length} CPUs, ${(cpus()[0]?.model || 'unknown').replace(/\s+/g, ' ').trim()}, Linux ${release()} (${arch()}); load average before the run: ${loadBefore}; per run (start → end): ${loads.join('; ')} (other work on the machine skews the numbers)`,
            `- Binary: \`${await versionOf(process.env.CROSSVOICE_BINARY)}\` with the e2e harness's sandbox defaults (fresh data dir, loopback port); Chromium ${browserVersion} headless (\`--no-sandbox\`) through playwright-core, 1366×860 viewport, signed in as TETRIX`,
            `- Each row: a fresh page on the Live view; ${SESSIONS} synthetic sessions (40% calls, 60% chat/SMS/WhatsApp) injected with \`window.crossvoiceLive.inject\` and left to settle 1 s; then events at the row's rate for ${WARMUP_S} s of warm-up and ${DURATION_S} s measured. ` +
                'The events: new messages (customer, SHANGO with its persona, agent), typing, owner changes, call state changes, status re-announcements, and 0.5% a session that ends (call completed, session ended) replaced by a new one, so the count stays put; fed every 20 ms by a timer inside the page. Durations tick once a second on their own (the page\'s timer).',
            `- Real stream: ${STREAM_CHATS} SHANGO chats created through the API, customer messages at ${STREAM_RATE}/s round-robin (every fifth an agent take-over or hand-back, \`PUT …/owner\`, and agent replies while owned), and ${STREAM_CALLS} loops of sandbox calls through the TETRIX main flow (voicemail; each loop starts one at most every ${STREAM_CALL_GAP_MS / 1000} s, and every call leaves its session active, so rows accumulate), same warm-up and duration; events reach the page over its WebSocket (\`/api/events/ws\`). ${streams.join('; ')}.`,
            '- Frame time: the interval between consecutive `requestAnimationFrame` callbacks (16.7 ms at 60 Hz when nothing is late), nearest-rank percentiles; "frames > 50 ms": dropped (three or more vsyncs missed); long tasks: `PerformanceObserver` `longtask` entries (tasks over 50 ms), count and total; main thread busy: the renderer main thread\'s task time (CDP `Performance.getMetrics` `TaskDuration`) over warm-up + run, as a share of wall time; renders/s: store updates delivered (at most one per animation frame).',
            '',
            printed,
            '',
            judged.text,
        ].join('\n');
        await writeSection(section);
        console.log(printed);
        console.log();
        console.log(judged.text);
        console.log(`\nload average: before ${loadBefore}; ${loads.join('; ')}`);
        console.log(`written to ${outFile}`);
        return 0;  // the verdict is in the text, as in the other benchmarks; failures exit 1
    } finally {
        if (browser) await browser.close();
        await service.stop();
    }
}

main().then(
    (code) => process.exit(code),
    (error) => {
        console.error(`console_live: ${error.stack || error.message}`);
        process.exit(1);
    },
);
