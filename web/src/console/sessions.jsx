// Sessions: the platform's sessions, filtered through the API (status, channel) and searched in the page.
import { useEffect, useState } from 'preact/hooks';
import { dateTime, duration } from '../shared/format.js';
import { Link } from './router.jsx';
import { Badge, Busy, Empty, ErrorBox } from './ui.jsx';

function readFilters() {
    const params = new URLSearchParams(location.search);
    return { status: params.get('status') || '', channel: params.get('channel') || '', q: params.get('q') || '' };
}

export function SessionsPage({ ctx }) {
    const [filters, setFilters] = useState(readFilters);
    const [rows, setRows] = useState([]);
    const [cursor, setCursor] = useState(null);
    const [busy, setBusy] = useState(false);
    const [error, setError] = useState(null);

    const load = async (more = false) => {
        setBusy(true);
        setError(null);
        try {
            const page = await ctx.client.get('/api/voice/integration/sessions', {
                query: { status: filters.status, channel: filters.channel, limit: 100, cursor: more ? cursor : undefined },
            });
            setRows((current) => (more ? [...current, ...page.sessions] : page.sessions));
            setCursor(page.nextCursor || null);
        } catch (failure) {
            setError(failure);
        } finally {
            setBusy(false);
        }
    };

    useEffect(() => {
        const params = new URLSearchParams();
        for (const [name, value] of Object.entries(filters)) if (value) params.set(name, value);
        const query = params.toString();
        history.replaceState(null, '', location.pathname + (query ? '?' + query : ''));
        load(false);
    }, [filters.status, filters.channel]);

    const set = (name) => (event) => setFilters({ ...filters, [name]: event.currentTarget.value });
    const needle = filters.q.trim().toLowerCase();
    const shown = needle
        ? rows.filter((row) => [row.sessionId, row.phoneNumber, row.userId].some((value) => value && value.toLowerCase().includes(needle)))
        : rows;

    return (
        <section aria-labelledby="sessions-title">
            <h1 id="sessions-title" tabIndex={-1}>
                Sessions
            </h1>
            <form class="toolbar" role="search" aria-label="Filter sessions" onSubmit={(event) => event.preventDefault()}>
                <label for="sessions-q">Search</label>
                <input id="sessions-q" type="search" placeholder="session id, phone number or user" value={filters.q} onInput={set('q')} />
                <label for="sessions-status">Status</label>
                <select id="sessions-status" value={filters.status} onChange={set('status')}>
                    <option value="">any</option>
                    <option value="active">active</option>
                    <option value="ended">ended</option>
                </select>
                <label for="sessions-channel">Channel</label>
                <select id="sessions-channel" value={filters.channel} onChange={set('channel')}>
                    <option value="">any</option>
                    <option value="voice">voice</option>
                    <option value="chat">chat</option>
                    <option value="sms">sms</option>
                    <option value="whatsapp">whatsapp</option>
                </select>
                <button type="button" class="secondary" onClick={() => load(false)} disabled={busy}>
                    Refresh
                </button>
            </form>
            <ErrorBox error={error} title="Sessions could not be loaded" onRetry={() => load(false)} />
            {busy && rows.length === 0 && <Busy label="Loading sessions…" />}
            {!busy && !error && shown.length === 0 && <Empty>No sessions match. Change the filters, or start a conversation.</Empty>}
            {shown.length > 0 && (
                <table class="grid">
                    <caption class="visually-hidden">Sessions, newest first</caption>
                    <thead>
                        <tr>
                            <th scope="col">Session</th>
                            <th scope="col">Channel</th>
                            <th scope="col">Status</th>
                            <th scope="col">Customer</th>
                            <th scope="col">Started</th>
                            <th scope="col">Length</th>
                            <th scope="col">Has</th>
                        </tr>
                    </thead>
                    <tbody>
                        {shown.map((row) => (
                            <tr key={row.sessionId}>
                                <th scope="row">
                                    <Link to={`/sessions/${encodeURIComponent(row.sessionId)}`}>
                                        <code>{row.sessionId}</code>
                                    </Link>
                                </th>
                                <td>
                                    <Badge kind={row.channel}>{row.channel}</Badge>
                                </td>
                                <td>
                                    <Badge kind={row.status}>{row.status}</Badge>
                                </td>
                                <td>{row.phoneNumber || row.userId || '—'}</td>
                                <td>{dateTime(row.startTime)}</td>
                                <td class="num">{row.endTime ? duration(new Date(row.endTime) - new Date(row.startTime)) : '—'}</td>
                                <td>{[row.hasRecording && 'recording', row.hasTranscription && 'transcript'].filter(Boolean).join(', ') || '—'}</td>
                            </tr>
                        ))}
                    </tbody>
                </table>
            )}
            {cursor && (
                <button type="button" class="secondary" onClick={() => load(true)} disabled={busy}>
                    {busy ? 'Loading…' : 'Load more'}
                </button>
            )}
        </section>
    );
}
