// The platform's live picture: active sessions with their call state, owner, persona and last message, kept
// current from one WebSocket for the whole console. Events are applied as they come; subscribers re-render on an
// animation frame at most every `minRenderGapMs`, which is what keeps the Live page smooth with hundreds of sessions
// (bench/console_live.mjs: a render of 200 rows costs several milliseconds of layout and paint, so rendering on every
// frame at hundreds of events a second kept the main thread busy).
import { createContext } from 'preact';
import { useContext, useEffect, useMemo, useReducer } from 'preact/hooks';
import { LiveEvents } from '../shared/events.js';

const endedCalls = new Set(['completed', 'busy', 'no_answer', 'failed', 'canceled']);
const keepEndedMs = 10 * 60 * 1000;
const maxEnded = 30;
const minRenderGapMs = 100;  // at most ten renders a second: still "live" to a person, a fraction of the work

export class LiveStore {
    constructor(ctx) {
        this.ctx = ctx;
        this.sessions = new Map();
        this.ended = [];  // recently ended, newest first
        this.version = 0;
        this.connection = 'connecting';
        this.connectionDetail = '';
        this.loadError = null;
        this.loaded = false;
        this.listeners = new Set();
        this.eventListeners = new Set();
        this.frame = 0;
        this.timer = 0;
        this.notifiedAt = -Infinity;
        this.eventsSeen = 0;
    }

    start() {
        this.events = new LiveEvents(this.ctx.key, {
            onEvent: (event) => this.receive(event),
            onStatus: (status, detail) => {
                this.connection = status;
                this.connectionDetail = detail || '';
                this.changed();
            },
        });
        this.load();
    }

    stop() {
        if (this.events) this.events.close();
        cancelAnimationFrame(this.frame);
        clearTimeout(this.timer);
    }

    async load() {
        const { client } = this.ctx;
        try {
            const found = [];
            let cursor;
            for (let page = 0; page < 3; page++) {
                const listed = await client.get('/api/voice/integration/sessions', { query: { status: 'active', limit: 100, cursor } });
                found.push(...listed.sessions);
                cursor = listed.nextCursor;
                if (!cursor) break;
            }
            for (const session of found) this.upsert(session.sessionId, { ...session, loadedAt: Date.now() });
            this.loaded = true;
            this.loadError = null;
            this.changed();
            // Details (the calls' state, SHANGO's persona and owner) for the newest, a few at a time.
            const newest = found.slice(0, 60);
            await runLimited(newest, 4, (session) => this.loadDetail(session.sessionId));
        } catch (error) {
            this.loadError = error;
            this.changed();
        }
    }

    async loadDetail(sessionId) {
        const { client } = this.ctx;
        try {
            const detail = await client.get(`/api/voice/integration/sessions/${encodeURIComponent(sessionId)}`, { query: { messages: 1 } });
            const session = detail.session;
            const call = session.calls && session.calls.length ? session.calls[session.calls.length - 1] : null;
            const last = session.messages && session.messages.length ? session.messages[session.messages.length - 1] : null;
            const patch = {};
            if (call) patch.call = { callId: call.callId, state: call.status, direction: call.direction, from: call.from, to: call.to, answeredAt: call.answerTime };
            if (last) patch.last = summary(last);
            this.update(sessionId, patch);
        } catch {
            /* the row keeps what the listing said */
        }
        try {
            const conversation = await client.get(`/api/v1/shango/sessions/${encodeURIComponent(sessionId)}`);
            const c = conversation.session;
            this.update(sessionId, { owner: c.owner, persona: c.persona || undefined });
        } catch {
            /* not a SHANGO conversation */
        }
    }

    upsert(sessionId, fields) {
        const current = this.sessions.get(sessionId);
        this.sessions.set(sessionId, { ...(current || { sessionId, status: 'active', startTime: new Date().toISOString() }), ...fields, updatedAt: Date.now() });
    }

    update(sessionId, patch) {
        const current = this.sessions.get(sessionId);
        if (!current) return;
        this.sessions.set(sessionId, { ...current, ...patch, updatedAt: Date.now() });
        this.changed();
    }

    // One event from the stream (or from the benchmark's injection hook).
    receive(event) {
        this.eventsSeen += 1;
        for (const listener of this.eventListeners) listener(event);
        this.apply(event);
        this.changed();
    }

    apply(event) {
        const { type, sessionId, data = {} } = event;
        if (type === 'reset') {
            this.sessions.clear();
            this.load();
            return;
        }
        if (!sessionId) return;
        const current = this.sessions.get(sessionId);
        switch (type) {
            case 'session.status':
                if (data.status === 'ended') {
                    this.retire(sessionId, event.at);
                } else {
                    this.upsert(sessionId, { status: data.status || 'active', channel: data.channel || current?.channel, startTime: current?.startTime || event.at, platform: event.platform });
                }
                break;
            case 'call.state': {
                const call = { ...(current?.call || {}), callId: data.callId, state: data.state, direction: data.direction, from: data.from, to: data.to, hangupCause: data.hangupCause };
                if (data.state === 'answered' && !call.answeredAt) call.answeredAt = event.at;
                if (!current) this.upsert(sessionId, { channel: 'voice', startTime: event.at, phoneNumber: data.direction === 'inbound' ? data.from : data.to, call });
                else this.upsert(sessionId, { call, channel: current.channel || 'voice' });
                break;
            }
            case 'message': {
                const patch = { last: summary(data) };
                if (data.author === 'assistant' && data.metadata && data.metadata.persona) patch.persona = data.metadata.persona;
                if (data.author === 'agent') patch.owner = 'agent';
                if (current) this.upsert(sessionId, patch);
                else this.upsert(sessionId, { ...patch, channel: data.channel, startTime: event.at });
                break;
            }
            case 'conversation.owner':
                if (current) this.upsert(sessionId, { owner: data.owner });
                break;
            case 'typing':
                if (current) this.upsert(sessionId, { typingAt: Date.now() });
                break;
            default:
                break;
        }
    }

    retire(sessionId, at) {
        const current = this.sessions.get(sessionId);
        this.sessions.delete(sessionId);
        if (!current) return;
        this.ended.unshift({ ...current, status: 'ended', endTime: at || new Date().toISOString() });
        const cutoff = Date.now() - keepEndedMs;
        this.ended = this.ended.filter((row, index) => index < maxEnded && new Date(row.endTime).getTime() > cutoff);
    }

    changed() {
        if (this.frame || this.timer) return;
        const wait = this.notifiedAt + minRenderGapMs - performance.now();
        if (wait > 0) {
            this.timer = setTimeout(() => {
                this.timer = 0;
                this.changed();
            }, wait);
            return;
        }
        this.frame = requestAnimationFrame((now) => {
            this.frame = 0;
            this.notifiedAt = now;
            this.version += 1;
            for (const listener of this.listeners) listener(this.version);
        });
    }

    subscribe(listener) {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
    }

    // Raw events (a session page follows its own session's messages).
    onEvent(listener) {
        this.eventListeners.add(listener);
        return () => this.eventListeners.delete(listener);
    }

    rows() {
        // Newest first. ISO timestamps order as strings; a plain comparison (not localeCompare, whose collation
        // costs milliseconds per sort of 200 rows) on every render.
        return [...this.sessions.values()].sort((a, b) => {
            const x = String(a.startTime);
            const y = String(b.startTime);
            return x < y ? 1 : x > y ? -1 : 0;
        });
    }
}

export function isCallEnded(state) {
    return endedCalls.has(state);
}

function summary(message) {
    return { author: message.author, content: message.content, type: message.type, at: message.createdAt, channel: message.channel };
}

async function runLimited(items, limit, task) {
    let next = 0;
    const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
        while (next < items.length) await task(items[next++]);
    });
    await Promise.all(workers);
}

const LiveContext = createContext(null);

export function LiveProvider({ ctx, children }) {
    const store = useMemo(() => new LiveStore(ctx), [ctx]);
    useEffect(() => {
        store.start();
        // The benchmark (bench/console_live.mjs) feeds synthetic events through this hook.
        window.crossvoiceLive = { inject: (events) => events.forEach((event) => store.receive(event)), store };
        return () => {
            store.stop();
            delete window.crossvoiceLive;
        };
    }, [store]);
    return <LiveContext.Provider value={store}>{children}</LiveContext.Provider>;
}

// The store, re-rendering the caller whenever it changed (at most once a frame).
export function useLive() {
    const store = useContext(LiveContext);
    const [, bump] = useReducer((n) => n + 1, 0);
    useEffect(() => store.subscribe(bump), [store]);
    return store;
}

export function useLiveEvents(listener, deps) {
    const store = useContext(LiveContext);
    useEffect(() => store.onEvent(listener), deps);
}

// Re-renders the caller every second (durations tick).
export function useTick(ms = 1000) {
    const [, bump] = useReducer((n) => n + 1, 0);
    useEffect(() => {
        const timer = setInterval(bump, ms);
        return () => clearInterval(timer);
    }, [ms]);
}
