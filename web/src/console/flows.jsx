// Flows: every IVR flow of the platform, drawn; its YAML edited and saved through the validator; a test call.
import { useEffect, useState } from 'preact/hooks';
import { dateTime } from '../shared/format.js';
import { FlowGraph } from './flow_graph.jsx';
import { Link, navigate } from './router.jsx';
import { Busy, Empty, ErrorBox } from './ui.jsx';

function ValidationError({ error }) {
    if (!error) return null;
    const issues = error.details && error.details.issues;
    if (error.status !== 400 || !issues) return <ErrorBox error={error} title="The flow was not saved" />;
    return (
        <div class="error" role="alert" data-testid="flow-validation">
            <strong>The flow was not saved: the validator found problems.</strong> Fix each line below, then save again.
            <pre>{issues}</pre>
        </div>
    );
}

// "press 5", "say billing please", "record Please call me back", "silence" → the sandbox's script steps.
export function parseScript(text) {
    const steps = [];
    for (const raw of text.split('\n')) {
        const line = raw.trim();
        if (!line) continue;
        const space = line.indexOf(' ');
        const verb = (space < 0 ? line : line.slice(0, space)).toLowerCase();
        const rest = space < 0 ? '' : line.slice(space + 1).trim();
        if (verb === 'press' && rest) steps.push({ press: rest });
        else if (verb === 'say' && rest) steps.push({ say: rest });
        else if (verb === 'record' && rest) steps.push({ record: rest });
        else if (verb === 'silence') steps.push({ silence: true });
        else throw new Error(`line "${line}": start it with press, say, record or silence`);
    }
    return steps;
}

function TestCall({ ctx, flow }) {
    const [script, setScript] = useState('press 5\nrecord Please call me back about my order.');
    const [number, setNumber] = useState(flow.numbers && flow.numbers[0] ? flow.numbers[0] : '');
    const [busy, setBusy] = useState(false);
    const [error, setError] = useState(null);
    const [result, setResult] = useState(null);
    useEffect(() => setNumber(flow.numbers && flow.numbers[0] ? flow.numbers[0] : ''), [flow.name]);

    const run = async (event) => {
        event.preventDefault();
        setError(null);
        setResult(null);
        let steps;
        try {
            steps = parseScript(script);
        } catch (failure) {
            setError({ message: failure.message, status: 0 });
            return;
        }
        setBusy(true);
        try {
            const body = await ctx.client.post('/sandbox/sandbox/texml/calls', { to: number, script: steps });
            setResult(body);
        } catch (failure) {
            if (failure.status === 404) {
                failure.message = 'Test calls need the built-in sandbox carrier (this service runs with a Telnyx account)';
            }
            setError(failure);
        } finally {
            setBusy(false);
        }
    };

    return (
        <section class="panel" aria-labelledby="test-title">
            <h2 id="test-title">Test call</h2>
            {!flow.numbers || flow.numbers.length === 0 ? (
                <p class="note">This flow has no number; give it one in its source to call it.</p>
            ) : (
                <form onSubmit={run}>
                    <label for="test-number">Number called</label>
                    <select id="test-number" value={number} onChange={(event) => setNumber(event.currentTarget.value)}>
                        {flow.numbers.map((n) => (
                            <option key={n} value={n}>
                                {n}
                            </option>
                        ))}
                    </select>
                    <label for="test-script">What the caller does, one step a line (press 5, say billing, record …, silence)</label>
                    <textarea id="test-script" rows={4} value={script} onInput={(event) => setScript(event.currentTarget.value)} />
                    <button type="submit" disabled={busy}>
                        {busy ? 'Calling… (the sandbox plays the whole call)' : 'Place test call'}
                    </button>
                </form>
            )}
            {busy && <Busy label="The sandbox carrier is running the call through the flow…" />}
            {error && (error.status === 0 ? <p class="error" role="alert">{error.message}</p> : <ErrorBox error={error} title="The test call failed" />)}
            {result && (
                <div role="status">
                    <p>
                        Outcome: <strong>{result.outcome}</strong>
                        {result.connectedTo && ` → ${result.connectedTo}`} · {result.durationSecs} s
                    </p>
                    <ol class="steps">
                        {(result.steps || [])
                            .filter((step) => step.kind !== 'fetch')
                            .map((step, index) => (
                                <li key={index} class={`step step-${step.kind}`}>
                                    <strong>{step.kind}</strong> {step.text || step.digits || step.speech || step.number || step.reason || ''}
                                </li>
                            ))}
                    </ol>
                </div>
            )}
        </section>
    );
}

function FlowEditor({ ctx, name, onSaved }) {
    const [flow, setFlow] = useState(null);
    const [source, setSource] = useState('');
    const [error, setError] = useState(null);
    const [saveError, setSaveError] = useState(null);
    const [saving, setSaving] = useState(false);
    const [saved, setSaved] = useState('');

    const load = async () => {
        setError(null);
        try {
            const found = await ctx.client.get(`/api/ivr/flows/${encodeURIComponent(name)}`);
            setFlow(found.flow);
            setSource(found.flow.source);
        } catch (failure) {
            setError(failure);
        }
    };
    useEffect(() => {
        setFlow(null);
        setSaved('');
        setSaveError(null);
        load();
    }, [name]);

    const save = async (event) => {
        event.preventDefault();
        setSaving(true);
        setSaveError(null);
        setSaved('');
        try {
            const result = await ctx.client.put(`/api/ivr/flows/${encodeURIComponent(name)}`, source, { contentType: 'application/yaml' });
            setFlow({ ...flow, ...result.flow, source });
            setSaved(`Saved: version ${result.flow.version}.`);
            onSaved && onSaved();
        } catch (failure) {
            setSaveError(failure);
        } finally {
            setSaving(false);
        }
    };

    if (error) return <ErrorBox error={error} title={`Flow ${name} could not be loaded`} onRetry={load} />;
    if (!flow) return <Busy label={`Loading flow ${name}…`} />;
    return (
        <div class="flow">
            <h2>
                {flow.name} <small>version {flow.version} · {flow.origin} · numbers {flow.numbers.join(', ') || 'none'}</small>
            </h2>
            {flow.graph && flow.graph.description && <p>{flow.graph.description}</p>}
            <FlowGraph graph={flow.graph} name={flow.name} />
            <div class="flow-grid">
                <form onSubmit={save} class="panel">
                    <label for="flow-source">Source of {flow.name} (YAML, see docs/FLOWS.md)</label>
                    <textarea id="flow-source" class="code" rows={24} spellcheck={false} value={source} onInput={(event) => setSource(event.currentTarget.value)} />
                    <button type="submit" disabled={saving}>
                        {saving ? 'Validating and saving…' : 'Save flow'}
                    </button>{' '}
                    <button type="button" class="secondary" onClick={() => setSource(flow.source)} disabled={saving}>
                        Revert
                    </button>
                    {saved && (
                        <p class="ok" role="status">
                            {saved}
                        </p>
                    )}
                    <ValidationError error={saveError} />
                </form>
                <TestCall ctx={ctx} flow={flow} />
            </div>
        </div>
    );
}

export function FlowsPage({ ctx, name }) {
    const [flows, setFlows] = useState(null);
    const [error, setError] = useState(null);
    const load = async () => {
        setError(null);
        try {
            setFlows((await ctx.client.get('/api/ivr/flows')).flows);
        } catch (failure) {
            setError(failure);
        }
    };
    useEffect(() => {
        load();
    }, []);
    useEffect(() => {
        if (!name && flows && flows.length) navigate(`/flows/${encodeURIComponent(flows[0].name)}`, { replace: true });
    }, [name, flows]);
    return (
        <section aria-labelledby="flows-title" class="two-pane">
            <div class="pane-list">
                <h1 id="flows-title" tabIndex={-1}>
                    Flows
                </h1>
                <ErrorBox error={error} title="Flows could not be loaded" onRetry={load} />
                {!flows && !error && <Busy label="Loading flows…" />}
                {flows && flows.length === 0 && <Empty>No IVR flows for this platform.</Empty>}
                {flows && (
                    <ul class="pick-list" aria-label="IVR flows">
                        {flows.map((flow) => (
                            <li key={flow.name}>
                                <Link to={`/flows/${encodeURIComponent(flow.name)}`} aria-current={flow.name === name ? 'page' : undefined}>
                                    <strong>{flow.name}</strong>
                                    <small>
                                        {flow.numbers.join(', ') || 'no number'} · v{flow.version} · {dateTime(flow.updatedAt)}
                                    </small>
                                </Link>
                            </li>
                        ))}
                    </ul>
                )}
            </div>
            <div class="pane-main">{name && <FlowEditor ctx={ctx} name={name} onSaved={load} />}</div>
        </section>
    );
}
