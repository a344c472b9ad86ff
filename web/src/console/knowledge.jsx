// Knowledge: SHANGO's documents, edited and reindexed, and a box to ask what SHANGO would use.
import { useEffect, useState } from 'preact/hooks';
import { dateTime } from '../shared/format.js';
import { Link, navigate } from './router.jsx';
import { Busy, Empty, ErrorBox } from './ui.jsx';

function Ask({ ctx }) {
    const [query, setQuery] = useState('');
    const [busy, setBusy] = useState(false);
    const [error, setError] = useState(null);
    const [passages, setPassages] = useState(null);
    const ask = async (event) => {
        event.preventDefault();
        if (!query.trim()) return;
        setBusy(true);
        setError(null);
        try {
            setPassages((await ctx.client.post('/api/knowledge/search', { query: query.trim(), limit: 5 })).passages);
        } catch (failure) {
            setError(failure);
        } finally {
            setBusy(false);
        }
    };
    return (
        <section class="panel" aria-labelledby="ask-title">
            <h2 id="ask-title">Ask SHANGO</h2>
            <form onSubmit={ask} class="inline">
                <label for="ask-query">Question</label>
                <input id="ask-query" type="search" value={query} onInput={(event) => setQuery(event.currentTarget.value)} placeholder="how do I send a fax" />
                <button type="submit" disabled={busy}>
                    {busy ? 'Searching…' : 'Ask'}
                </button>
            </form>
            <ErrorBox error={error} title="The question could not be answered" />
            {passages && passages.length === 0 && <Empty>No passage matches; SHANGO would hand this question to a person.</Empty>}
            {passages && passages.length > 0 && (
                <ol class="passages" aria-label="Passages SHANGO would use">
                    {passages.map((passage) => (
                        <li key={passage.id}>
                            <strong>
                                {passage.document} › {passage.heading}
                            </strong>{' '}
                            <small>score {passage.score.toFixed(2)}</small>
                            <p>{passage.text}</p>
                        </li>
                    ))}
                </ol>
            )}
        </section>
    );
}

function Editor({ ctx, doc, onSaved }) {
    const [document, setDocument] = useState(null);
    const [text, setText] = useState('');
    const [error, setError] = useState(null);
    const [saveError, setSaveError] = useState(null);
    const [saving, setSaving] = useState(false);
    const [saved, setSaved] = useState('');
    useEffect(() => {
        setDocument(null);
        setSaved('');
        setSaveError(null);
        setError(null);
        ctx.client
            .get(`/api/knowledge/${encodeURIComponent(doc)}`)
            .then((found) => {
                setDocument(found.document);
                setText(found.document.markdown);
            })
            .catch(setError);
    }, [doc]);
    const save = async (event) => {
        event.preventDefault();
        setSaving(true);
        setSaveError(null);
        setSaved('');
        try {
            const result = await ctx.client.put(`/api/knowledge/${encodeURIComponent(doc)}`, text, { contentType: 'text/markdown' });
            setDocument({ ...document, ...result.document });
            setSaved(`Saved and reindexed: version ${result.document.version}.`);
            onSaved();
        } catch (failure) {
            setSaveError(failure);
        } finally {
            setSaving(false);
        }
    };
    if (error) return <ErrorBox error={error} title={`Document ${doc} could not be loaded`} />;
    if (!document) return <Busy label={`Loading ${doc}…`} />;
    return (
        <form onSubmit={save} class="panel">
            <h2>
                {document.name} <small>version {document.version} · {document.origin} · {dateTime(document.updatedAt)}</small>
            </h2>
            <label for="kb-text">Markdown of {document.name}</label>
            <textarea id="kb-text" class="code" rows={22} spellcheck={true} value={text} onInput={(event) => setText(event.currentTarget.value)} />
            <button type="submit" disabled={saving}>
                {saving ? 'Saving and reindexing…' : 'Save'}
            </button>
            {saved && (
                <p class="ok" role="status">
                    {saved}
                </p>
            )}
            <ErrorBox error={saveError} title="The document was not saved" />
        </form>
    );
}

export function KnowledgePage({ ctx, doc }) {
    const [documents, setDocuments] = useState(null);
    const [error, setError] = useState(null);
    const [reindex, setReindex] = useState({ busy: false, text: '', error: null });
    const [newName, setNewName] = useState('');
    const load = async () => {
        setError(null);
        try {
            setDocuments((await ctx.client.get('/api/knowledge')).documents);
        } catch (failure) {
            setError(failure);
        }
    };
    useEffect(() => {
        load();
    }, []);
    const rebuild = async () => {
        setReindex({ busy: true, text: '', error: null });
        try {
            const stats = await ctx.client.post('/api/knowledge/reindex', {});
            setReindex({ busy: false, text: `Index rebuilt: ${stats.documents} documents, ${stats.passages} passages.`, error: null });
        } catch (failure) {
            setReindex({ busy: false, text: '', error: failure });
        }
    };
    const create = (event) => {
        event.preventDefault();
        const name = newName.trim().toLowerCase().replace(/[^a-z0-9-]+/g, '-');
        if (!name) return;
        navigate(`/knowledge/${encodeURIComponent(name)}`);
        setNewName('');
    };
    return (
        <section aria-labelledby="kb-title" class="two-pane">
            <div class="pane-list">
                <h1 id="kb-title" tabIndex={-1}>
                    Knowledge
                </h1>
                <button type="button" class="secondary" onClick={rebuild} disabled={reindex.busy}>
                    {reindex.busy ? 'Reindexing…' : 'Reindex'}
                </button>
                {reindex.text && (
                    <p class="ok" role="status">
                        {reindex.text}
                    </p>
                )}
                <ErrorBox error={reindex.error} title="Reindexing failed" />
                <ErrorBox error={error} title="Documents could not be loaded" onRetry={load} />
                {!documents && !error && <Busy label="Loading documents…" />}
                {documents && (
                    <ul class="pick-list" aria-label="Knowledge documents">
                        {documents.map((document) => (
                            <li key={document.name}>
                                <Link to={`/knowledge/${encodeURIComponent(document.name)}`} aria-current={document.name === doc ? 'page' : undefined}>
                                    <strong>{document.name}</strong>
                                    <small>
                                        {(document.bytes / 1024).toFixed(1)} KB · v{document.version} · {document.origin}
                                    </small>
                                </Link>
                            </li>
                        ))}
                    </ul>
                )}
            </div>
            <div class="pane-main">
                <Ask ctx={ctx} />
                {doc ? <Editor ctx={ctx} doc={doc} onSaved={load} /> : <Empty>Pick a document to read or edit it.</Empty>}
            </div>
        </section>
    );
}
