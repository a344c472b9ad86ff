// Audit: the platform's audit log, newest first, filtered in the page (action, outcome, text).
import { useEffect, useState } from 'preact/hooks';
import { dateTime } from '../shared/format.js';
import { Badge, Busy, Empty, ErrorBox } from './ui.jsx';

export function AuditPage({ ctx }) {
    const [entries, setEntries] = useState([]);
    const [cursor, setCursor] = useState(null);
    const [busy, setBusy] = useState(false);
    const [error, setError] = useState(null);
    const [filter, setFilter] = useState({ action: '', outcome: '', text: '' });

    const load = async (more = false) => {
        setBusy(true);
        setError(null);
        try {
            const page = await ctx.client.get('/api/audit', { query: { limit: 200, cursor: more ? cursor : undefined } });
            setEntries((current) => (more ? [...current, ...page.entries] : page.entries));
            setCursor(page.nextCursor || null);
        } catch (failure) {
            setError(failure);
        } finally {
            setBusy(false);
        }
    };
    useEffect(() => {
        load(false);
    }, []);

    const actions = [...new Set(entries.map((entry) => entry.action))].sort();
    const needle = filter.text.trim().toLowerCase();
    const shown = entries.filter(
        (entry) =>
            (!filter.action || entry.action === filter.action) &&
            (!filter.outcome || entry.outcome === filter.outcome) &&
            (!needle || [entry.target, entry.keyId, entry.requestId, entry.action].some((v) => v && String(v).toLowerCase().includes(needle))),
    );
    const set = (name) => (event) => setFilter({ ...filter, [name]: event.currentTarget.value });

    return (
        <section aria-labelledby="audit-title">
            <h1 id="audit-title" tabIndex={-1}>
                Audit log
            </h1>
            <form class="toolbar" role="search" aria-label="Filter the audit log" onSubmit={(event) => event.preventDefault()}>
                <label for="audit-action">Action</label>
                <select id="audit-action" value={filter.action} onChange={set('action')}>
                    <option value="">any</option>
                    {actions.map((action) => (
                        <option key={action} value={action}>
                            {action}
                        </option>
                    ))}
                </select>
                <label for="audit-outcome">Outcome</label>
                <select id="audit-outcome" value={filter.outcome} onChange={set('outcome')}>
                    <option value="">any</option>
                    <option value="success">success</option>
                    <option value="failure">failure</option>
                </select>
                <label for="audit-text">Contains</label>
                <input id="audit-text" type="search" value={filter.text} onInput={set('text')} placeholder="target, key or request id" />
                <button type="button" class="secondary" onClick={() => load(false)} disabled={busy}>
                    Refresh
                </button>
            </form>
            <ErrorBox error={error} title="The audit log could not be loaded" onRetry={() => load(false)} />
            {busy && entries.length === 0 && <Busy label="Loading the audit log…" />}
            {!busy && !error && shown.length === 0 && <Empty>No audit entries match.</Empty>}
            {shown.length > 0 && (
                <table class="grid">
                    <caption class="visually-hidden">Audit entries, newest first</caption>
                    <thead>
                        <tr>
                            <th scope="col">Time</th>
                            <th scope="col">Action</th>
                            <th scope="col">Target</th>
                            <th scope="col">Outcome</th>
                            <th scope="col">Key</th>
                            <th scope="col">Request</th>
                        </tr>
                    </thead>
                    <tbody>
                        {shown.map((entry) => (
                            <tr key={entry.id}>
                                <td>{dateTime(entry.time)}</td>
                                <td>{entry.action}</td>
                                <td>
                                    <code>{entry.target}</code>
                                </td>
                                <td>
                                    <Badge kind={entry.outcome}>{entry.outcome}</Badge> {entry.status ? entry.status : ''}
                                </td>
                                <td>
                                    <code>{entry.keyId}</code>
                                </td>
                                <td>
                                    <code>{entry.requestId}</code>
                                </td>
                            </tr>
                        ))}
                    </tbody>
                </table>
            )}
            {cursor && (
                <button type="button" class="secondary" onClick={() => load(true)} disabled={busy}>
                    {busy ? 'Loading…' : 'Load older entries'}
                </button>
            )}
        </section>
    );
}
