// Live: the platform's active calls and chats as they happen.
import { memo } from 'preact/compat';
import { useState } from 'preact/hooks';
import { duration, time } from '../shared/format.js';
import { Link } from './router.jsx';
import { isCallEnded, useLive, useTick } from './live_store.jsx';
import { Badge, Busy, Empty, ErrorBox } from './ui.jsx';

const connectionText = {
    connecting: 'Connecting to live events…',
    open: 'Live',
    closed: 'Reconnecting…',
    refused: 'Live events refused',
};

function stateOf(row, now) {
    if (row.call && row.call.state) return row.call.state;
    if (row.typingAt && now - row.typingAt < 6000) return 'typing';
    return row.status || 'active';
}

// Memoised: a row renders again only when its session changed or the clock passed a second (the store hands out a
// new object per changed session), so a frame with a few events re-renders a few rows, not all of them.
const Row = memo(function Row({ row, now }) {
    const state = stateOf(row, now);
    const started = new Date(row.call?.answeredAt || row.startTime).getTime();
    const customer = row.phoneNumber || row.userId || row.call?.from || '—';
    return (
        <tr data-session={row.sessionId} data-state={state}>
            <th scope="row">
                <Link to={`/sessions/${encodeURIComponent(row.sessionId)}`} aria-label={`Session ${row.sessionId}, ${row.channel}, ${state}`}>
                    <code>{row.sessionId.slice(-10)}</code>
                </Link>
            </th>
            <td>
                <Badge kind={row.channel}>{row.channel || '—'}</Badge>
            </td>
            <td>
                <Badge kind={state}>{state.replace('_', ' ')}</Badge>
            </td>
            <td class="num" aria-label="duration">
                <time>{duration(now - started)}</time>
            </td>
            <td>{customer}</td>
            <td>{row.persona || '—'}</td>
            <td>{row.owner === 'agent' ? 'agent' : row.owner === 'assistant' ? 'SHANGO' : '—'}</td>
            <td class="excerpt">{row.last ? `${row.last.author}: ${row.last.content}` : ''}</td>
        </tr>
    );
});

export function LivePage() {
    const store = useLive();
    useTick(1000);
    const [channel, setChannel] = useState('');
    // Whole seconds: durations only show seconds, and a value that changes on every render would re-render every row.
    const now = Math.floor(Date.now() / 1000) * 1000;
    const rows = store.rows().filter((row) => !channel || row.channel === channel);
    const calls = rows.filter((row) => row.call && !isCallEnded(row.call.state)).length;
    return (
        <section aria-labelledby="live-title">
            <div class="page-head">
                <h1 id="live-title" tabIndex={-1}>
                    Live
                </h1>
                <p class={`connection connection-${store.connection}`} role="status" aria-live="polite">
                    <span class="dot" aria-hidden="true" /> {connectionText[store.connection] || store.connection}
                    {store.connection === 'refused' && ' — sign out and in again with a valid key.'}
                </p>
            </div>
            <div class="toolbar">
                <p class="counts" aria-live="polite">
                    <strong data-testid="active-count">{rows.length}</strong> active sessions, <strong>{calls}</strong> calls in progress
                </p>
                <label for="live-channel">Channel</label>
                <select id="live-channel" value={channel} onChange={(event) => setChannel(event.currentTarget.value)}>
                    <option value="">all</option>
                    <option value="voice">voice</option>
                    <option value="chat">chat</option>
                    <option value="sms">sms</option>
                    <option value="whatsapp">whatsapp</option>
                </select>
            </div>
            <ErrorBox error={store.loadError} title="The active sessions could not be loaded" onRetry={() => store.load()} />
            {!store.loaded && !store.loadError && <Busy label="Loading active sessions…" />}
            {store.loaded && rows.length === 0 && <Empty>No active calls or chats right now. New ones appear here as they start.</Empty>}
            {rows.length > 0 && (
                <table class="grid live-table" aria-describedby="live-title">
                    <thead>
                        <tr>
                            <th scope="col">Session</th>
                            <th scope="col">Channel</th>
                            <th scope="col">State</th>
                            <th scope="col">Duration</th>
                            <th scope="col">Customer</th>
                            <th scope="col">Persona</th>
                            <th scope="col">Owner</th>
                            <th scope="col">Last message</th>
                        </tr>
                    </thead>
                    <tbody>
                        {rows.map((row) => (
                            <Row key={row.sessionId} row={row} now={now} />
                        ))}
                    </tbody>
                </table>
            )}
            {store.ended.length > 0 && (
                <details class="ended">
                    <summary>Recently ended ({store.ended.length})</summary>
                    <ul>
                        {store.ended.map((row) => (
                            <li key={row.sessionId}>
                                <Link to={`/sessions/${encodeURIComponent(row.sessionId)}`}>
                                    <code>{row.sessionId.slice(-10)}</code>
                                </Link>{' '}
                                {row.channel} · {row.call?.state || 'ended'} · ended {time(row.endTime)}
                            </li>
                        ))}
                    </ul>
                </details>
            )}
        </section>
    );
}
