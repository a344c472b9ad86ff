// One session: its calls, its unified timeline (live), recordings, and what an agent can do.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, sameOriginPath } from '../shared/api.js';
import { dateTime, duration, platformName } from '../shared/format.js';
import { Link } from './router.jsx';
import { useLiveEvents } from './live_store.jsx';
import { arrange, TimelineEntry } from './timeline.jsx';
import { Badge, Busy, Empty, ErrorBox } from './ui.jsx';

async function loadTimeline(client, id) {
    const messages = [];
    let after;
    for (let page = 0; page < 20; page++) {
        const listed = await client.get(`/api/voice/integration/sessions/${encodeURIComponent(id)}/messages`, { query: { limit: 200, after } });
        messages.push(...listed.messages);
        after = listed.nextAfter;
        if (!after) break;
    }
    return messages;
}

function Recording({ ctx, recording }) {
    const [src, setSrc] = useState(null);
    const [busy, setBusy] = useState(false);
    const [error, setError] = useState(null);
    useEffect(() => () => src && URL.revokeObjectURL(src), [src]);
    const path = recording.wavUrl ? sameOriginPath(recording.wavUrl) : null;
    const load = async () => {
        setBusy(true);
        setError(null);
        try {
            const blob = await ctx.client.blob(path);
            setSrc(URL.createObjectURL(blob));
        } catch (failure) {
            setError(failure);
        } finally {
            setBusy(false);
        }
    };
    const label = `Recording from ${dateTime(recording.startedAt || recording.savedAt)}`;
    if (!path) {
        return (
            <p class="note">
                {label}: stored{recording.archived ? ' in crossvoice' : ''}; no playback route for it in this service yet.
            </p>
        );
    }
    return (
        <div class="recording">
            {src ? (
                <audio controls src={src} aria-label={label} />
            ) : (
                <button type="button" class="secondary" onClick={load} disabled={busy} aria-label={`Play ${label}`}>
                    {busy ? 'Loading recording…' : `▶ ${label}`}
                </button>
            )}
            <ErrorBox error={error} title="The recording could not be loaded" />
        </div>
    );
}

function Calls({ ctx, calls }) {
    const [details, setDetails] = useState({});
    useEffect(() => {
        for (const call of calls) {
            if (!call.hasRecording || details[call.callId]) continue;
            ctx.client
                .get(`/api/voice/calls/${encodeURIComponent(call.callId)}`)
                .then((found) => setDetails((current) => ({ ...current, [call.callId]: found.call || found })))
                .catch(() => {});
        }
    }, [calls.map((call) => call.callId + call.hasRecording).join()]);
    if (calls.length === 0) return null;
    return (
        <section aria-labelledby="calls-title" class="panel">
            <h2 id="calls-title">Calls</h2>
            <ul class="calls">
                {calls.map((call) => {
                    const length = call.answerTime && call.endTime ? duration(new Date(call.endTime) - new Date(call.answerTime)) : null;
                    const recordings = (details[call.callId] && details[call.callId].recordings) || [];
                    return (
                        <li key={call.callId} data-call={call.callId}>
                            <Badge kind={call.status}>{call.status}</Badge> {call.direction} {call.from} → {call.to}
                            {call.flow && ` · flow ${call.flow}`}
                            {length && ` · ${length}`}
                            {call.hangupCause && ` · ${call.hangupCause}`}
                            {recordings.map((recording, index) => (
                                <Recording key={index} ctx={ctx} recording={recording} />
                            ))}
                        </li>
                    );
                })}
            </ul>
        </section>
    );
}

function Actions({ ctx, session, owner, onChanged }) {
    const [reply, setReply] = useState('');
    const [callbackTo, setCallbackTo] = useState('');
    const [busy, setBusy] = useState('');
    const [error, setError] = useState(null);
    const [done, setDone] = useState('');
    const [token, setToken] = useState(null);
    const id = encodeURIComponent(session.sessionId);
    const other = ctx.platform === 'joromi' ? 'tetrix' : 'joromi';
    const ended = session.status === 'ended';

    const run = async (what, work, success) => {
        setBusy(what);
        setError(null);
        setDone('');
        try {
            const result = await work();
            setDone(typeof success === 'function' ? success(result) : success);
            onChanged && onChanged(result);
        } catch (failure) {
            setError(failure);
        } finally {
            setBusy('');
        }
    };

    const sendReply = (event) => {
        event.preventDefault();
        if (!reply.trim()) {
            setError(new ApiError(400, { error: 'The reply is empty' }));
            return;
        }
        run('reply', () => ctx.client.post(`/api/voice/integration/sessions/${id}/messages`, { message: reply.trim() }), () => {
            setReply('');
            return 'Reply sent on the customer\u2019s channel; you now own this conversation.';
        });
    };

    return (
        <section aria-labelledby="actions-title" class="panel actions">
            <h2 id="actions-title">Actions</h2>
            <form onSubmit={sendReply} class="reply">
                <label for="reply-text">Reply to the customer ({session.channel})</label>
                <textarea id="reply-text" rows={3} value={reply} onInput={(event) => setReply(event.currentTarget.value)} disabled={ended}
                    onKeyDown={(event) => {
                        if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) sendReply(event);
                    }}
                    aria-describedby="reply-hint"
                />
                <small id="reply-hint">Ctrl+Enter sends. Replying takes the conversation over from SHANGO.</small>
                <button type="submit" disabled={busy !== '' || ended}>
                    {busy === 'reply' ? 'Sending…' : 'Send reply'}
                </button>
            </form>
            <div class="buttons">
                <button type="button" disabled={busy !== '' || ended || owner === 'agent'}
                    onClick={() => run('take', () => ctx.client.put(`/api/voice/integration/sessions/${id}/owner`, { owner: 'agent' }), 'You own this conversation; SHANGO stays quiet.')}>
                    Take over from SHANGO
                </button>
                <button type="button" class="secondary" disabled={busy !== '' || ended || owner === 'assistant'}
                    onClick={() => run('back', () => ctx.client.put(`/api/voice/integration/sessions/${id}/owner`, { owner: 'assistant' }), 'Handed back: SHANGO answers again.')}>
                    Hand back to SHANGO
                </button>
            </div>
            <form class="inline" onSubmit={(event) => {
                event.preventDefault();
                run('callback', () => ctx.client.post(`/api/voice/integration/sessions/${id}/callback`, callbackTo.trim() ? { to: callbackTo.trim() } : {}),
                    (result) => `Calling ${result.call ? result.call.to : 'the customer'} back (call ${result.callId || (result.call && result.call.callId) || ''}).`);
            }}>
                <label for="callback-to">Call back number (optional)</label>
                <input id="callback-to" type="tel" placeholder="+14155550123" value={callbackTo} onInput={(event) => setCallbackTo(event.currentTarget.value)} />
                <button type="submit" class="secondary" disabled={busy !== '' || ended}>
                    {busy === 'callback' ? 'Calling…' : 'Call back'}
                </button>
            </form>
            <div class="buttons">
                <button type="button" class="secondary" disabled={busy !== '' || ended}
                    onClick={() => run('handoff', () => ctx.client.post(`/api/voice/integration/sessions/${id}/handoff`, { toPlatform: other, ...(session.userId ? { userId: session.userId } : {}) }), (result) => {
                        setToken(result);
                        return `Hand-off token for ${platformName(other)} issued.`;
                    })}>
                    Hand off to {platformName(other)}
                </button>
                <button type="button" class="danger" disabled={busy !== '' || ended}
                    onClick={() => {
                        if (!confirm('End this session? The customer\u2019s conversation closes.')) return;
                        run('end', () => ctx.client.put(`/api/voice/integration/sessions/${id}/status`, { status: 'ended' }), 'Session ended.');
                    }}>
                    End session
                </button>
            </div>
            {busy && <p class="busy" role="status">Working…</p>}
            {done && <p class="ok" role="status">{done}</p>}
            <ErrorBox error={error} title="That did not work" />
            {token && (
                <div class="token">
                    <label for="handoff-token">Hand-off token (single use, expires {dateTime(token.expiresAt)})</label>
                    <textarea id="handoff-token" readOnly rows={3} value={token.token} onFocus={(event) => event.currentTarget.select()} />
                    <button type="button" class="secondary" onClick={() => navigator.clipboard && navigator.clipboard.writeText(token.token)}>
                        Copy token
                    </button>
                </div>
            )}
        </section>
    );
}

export function SessionPage({ ctx, id }) {
    const [session, setSession] = useState(null);
    const [messages, setMessages] = useState([]);
    const [owner, setOwner] = useState(null);
    const [error, setError] = useState(null);
    const [loading, setLoading] = useState(true);
    const listRef = useRef(null);

    const load = async () => {
        setLoading(true);
        setError(null);
        try {
            const [detail, timeline] = await Promise.all([
                ctx.client.get(`/api/voice/integration/sessions/${encodeURIComponent(id)}`, { query: { messages: 0 } }),
                loadTimeline(ctx.client, id),
            ]);
            setSession(detail.session);
            setMessages(timeline);
            ctx.client
                .get(`/api/v1/shango/sessions/${encodeURIComponent(id)}`)
                .then((found) => setOwner(found.session.owner))
                .catch(() => setOwner(null));
        } catch (failure) {
            setError(failure);
        } finally {
            setLoading(false);
        }
    };
    useEffect(() => {
        load();
    }, [id]);

    useLiveEvents(
        (event) => {
            if (event.sessionId !== id) return;
            const data = event.data || {};
            if (event.type === 'message') {
                setMessages((current) => {
                    const index = current.findIndex((m) => m.id === data.id);
                    if (index >= 0) {
                        const copy = current.slice();
                        copy[index] = data;
                        return copy;
                    }
                    return [...current, data];
                });
            } else if (event.type === 'message.status') {
                setMessages((current) => current.map((m) => (m.id === data.messageId ? { ...m, status: data.status, metadata: { ...m.metadata, failureReason: data.reason || undefined } } : m)));
            } else if (event.type === 'conversation.owner') {
                setOwner(data.owner);
            } else if (event.type === 'session.status' && session) {
                setSession((current) => current && { ...current, status: data.status });
            } else if (event.type === 'call.state') {
                setSession((current) => {
                    if (!current) return current;
                    const calls = current.calls || [];
                    const known = calls.some((call) => call.callId === data.callId);
                    const updated = known
                        ? calls.map((call) => (call.callId === data.callId ? { ...call, status: data.state, hangupCause: data.hangupCause || call.hangupCause } : call))
                        : [...calls, { callId: data.callId, status: data.state, direction: data.direction, from: data.from, to: data.to }];
                    return { ...current, calls: updated };
                });
                if (['completed', 'busy', 'no_answer', 'failed', 'canceled'].includes(data.state)) {
                    // Its end time and recording arrive with the final state: read the session again.
                    ctx.client.get(`/api/voice/integration/sessions/${encodeURIComponent(id)}`, { query: { messages: 0 } }).then((detail) => setSession(detail.session)).catch(() => {});
                }
            }
        },
        [id, session !== null],
    );

    if (loading && !session) return <Busy label="Loading the session…" />;
    if (error && !session) {
        return (
            <section>
                <h1 tabIndex={-1}>Session</h1>
                <ErrorBox error={error} title="The session could not be loaded" onRetry={load} />
                <Link to="/sessions">Back to sessions</Link>
            </section>
        );
    }
    const arranged = arrange(messages);
    return (
        <section aria-labelledby="session-title" class="session">
            <div class="page-head">
                <h1 id="session-title" tabIndex={-1}>
                    Session <code>{session.sessionId}</code>
                </h1>
                <p>
                    <Badge kind={session.channel}>{session.channel}</Badge> <Badge kind={session.status}>{session.status}</Badge>{' '}
                    {session.phoneNumber || session.userId || ''} · started {dateTime(session.startTime)}
                    {session.endTime && ` · ended ${dateTime(session.endTime)}`} · owner{' '}
                    <strong data-testid="owner">{owner === 'agent' ? 'agent' : owner === 'assistant' ? 'SHANGO' : '—'}</strong>
                </p>
            </div>
            <div class="session-grid">
                <section aria-labelledby="timeline-title" class="panel timeline">
                    <h2 id="timeline-title">Timeline</h2>
                    {arranged.length === 0 ? (
                        <Empty>Nothing on the timeline yet. Messages and transcripts appear here as they arrive.</Empty>
                    ) : (
                        <ol ref={listRef} aria-live="polite" aria-relevant="additions">
                            {arranged.map(({ message, translation }) => (
                                <TimelineEntry key={message.id} message={message} translation={translation} />
                            ))}
                        </ol>
                    )}
                </section>
                <div>
                    <Actions ctx={ctx} session={session} owner={owner} onChanged={(result) => {
                        if (result && result.owner) setOwner(result.owner);
                        if (result && result.session) setSession((current) => ({ ...current, ...result.session, calls: current.calls }));
                    }} />
                    <Calls ctx={ctx} calls={session.calls || []} />
                </div>
            </div>
        </section>
    );
}
