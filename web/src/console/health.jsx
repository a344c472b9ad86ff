// Health: every dependency's status, the self-test with its steps, and charts from the service's own metrics.
import { useEffect, useRef, useState } from 'preact/hooks';
import { dateTime } from '../shared/format.js';
import { parseMetrics, point, totals } from './metrics.js';
import { Badge, ErrorBox } from './ui.jsx';

const selfTestSteps = ['database', 'ivr', 'transcription', 'assistant', 'messaging', 'handoff'];
const pollMs = 5000;
const keepPoints = 60;

function useElapsed(running) {
    const [elapsed, setElapsed] = useState(0);
    useEffect(() => {
        if (!running) return undefined;
        const started = Date.now();
        setElapsed(0);
        const timer = setInterval(() => setElapsed(Date.now() - started), 250);
        return () => clearInterval(timer);
    }, [running]);
    return elapsed;
}

function Status({ ctx }) {
    const [report, setReport] = useState(null);
    const [busy, setBusy] = useState(false);
    const [error, setError] = useState(null);
    const elapsed = useElapsed(busy);
    const check = async () => {
        setBusy(true);
        setError(null);
        try {
            setReport(await ctx.client.get('/api/voice/integration/status'));
        } catch (failure) {
            // 503 (the database is down) still carries the report.
            if (failure.body && failure.body.dependencies) setReport(failure.body);
            setError(failure);
        } finally {
            setBusy(false);
        }
    };
    useEffect(() => {
        check();
    }, []);
    return (
        <section class="panel" aria-labelledby="status-title">
            <h2 id="status-title">
                Dependencies {report && <Badge kind={report.status}>{report.status}</Badge>}
            </h2>
            <button type="button" class="secondary" onClick={check} disabled={busy}>
                {busy ? `Asking every dependency… ${(elapsed / 1000).toFixed(1)} s` : 'Check again'}
            </button>
            {busy && <progress aria-label="Checking dependencies" />}
            <ErrorBox error={error} title="The status check failed" />
            {report && (
                <table class="grid">
                    <caption>Checked {dateTime(report.checkedAt)} in {Math.round(report.totalMs)} ms</caption>
                    <thead>
                        <tr>
                            <th scope="col">Dependency</th>
                            <th scope="col">Mode</th>
                            <th scope="col">Provider</th>
                            <th scope="col">Reachable</th>
                            <th scope="col">Latency</th>
                            <th scope="col">Last error</th>
                        </tr>
                    </thead>
                    <tbody>
                        {report.dependencies.map((dependency) => (
                            <tr key={dependency.name} data-dependency={dependency.name}>
                                <th scope="row">{dependency.name}</th>
                                <td>{dependency.mode}</td>
                                <td>{dependency.provider}</td>
                                <td>
                                    <Badge kind={dependency.reachable ? 'ok' : 'down'}>{dependency.reachable ? 'yes' : 'no'}</Badge>
                                </td>
                                <td class="num">{Math.round(dependency.latencyMs)} ms</td>
                                <td>{dependency.lastError ? `${dependency.lastError} (${dateTime(dependency.lastErrorAt)})` : '—'}</td>
                            </tr>
                        ))}
                    </tbody>
                </table>
            )}
        </section>
    );
}

function SelfTest({ ctx }) {
    const [result, setResult] = useState(null);
    const [busy, setBusy] = useState(false);
    const [error, setError] = useState(null);
    const elapsed = useElapsed(busy);
    const run = async () => {
        setBusy(true);
        setError(null);
        setResult(null);
        try {
            setResult(await ctx.client.post('/api/voice/integration/test', {}));
        } catch (failure) {
            setError(failure);
        } finally {
            setBusy(false);
        }
    };
    const steps = result ? result.steps : selfTestSteps.map((name) => ({ name, pending: true }));
    return (
        <section class="panel" aria-labelledby="selftest-title">
            <h2 id="selftest-title">
                Self-test {result && <Badge kind={result.ok ? 'ok' : 'down'}>{result.ok ? 'passed' : 'failed'}</Badge>}
            </h2>
            <p>A real sandbox call, a transcription, a SHANGO answer, a message round trip and a hand-off, each timed.</p>
            <button type="button" onClick={run} disabled={busy}>
                {busy ? `Running… ${(elapsed / 1000).toFixed(1)} s` : 'Run self-test'}
            </button>
            {busy && <progress aria-label="Self-test running" />}
            <ErrorBox error={error} title="The self-test could not run" />
            <ol class="steps" aria-live="polite">
                {steps.map((step) => (
                    <li key={step.name} class={step.pending ? 'pending' : step.ok ? 'ok' : 'failed'}>
                        <strong>{step.name}</strong>{' '}
                        {step.pending ? (busy ? 'running or waiting…' : 'not run') : `${step.ok ? 'ok' : 'FAILED'} in ${Math.round(step.ms)} ms`}
                        {step.detail && <span class="detail"> — {step.detail}</span>}
                    </li>
                ))}
            </ol>
            {result && <p>Total {Math.round(result.totalMs)} ms.</p>}
        </section>
    );
}

function Chart({ title, points, field, unit, digits = 0 }) {
    const width = 320;
    const height = 90;
    const values = points.map((p) => p[field]);
    const max = Math.max(1, ...values);
    const step = values.length > 1 ? width / (keepPoints - 1) : width;
    const coordinates = values.map((v, i) => `${(i * step).toFixed(1)},${(height - (v / max) * (height - 10)).toFixed(1)}`).join(' ');
    const last = values.length ? values[values.length - 1] : 0;
    const id = `chart-${field}`;
    return (
        <figure class="chart">
            <figcaption id={id}>
                {title}: <strong>{last.toFixed(digits)}</strong> {unit} <small>(max {max.toFixed(digits)}, last {values.length} × {pollMs / 1000} s)</small>
            </figcaption>
            <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={id}>
                <line x1="0" y1={height - 0.5} x2={width} y2={height - 0.5} class="axis" />
                {values.length > 1 && <polyline points={coordinates} class="series" />}
            </svg>
        </figure>
    );
}

function Charts() {
    const [points, setPoints] = useState([]);
    const [error, setError] = useState(null);
    const previous = useRef(null);
    useEffect(() => {
        let stopped = false;
        const poll = async () => {
            try {
                const response = await fetch('/metrics');
                if (!response.ok) throw new Error(`/metrics answered ${response.status}`);
                const now = totals(parseMetrics(await response.text()));
                if (previous.current) {
                    const p = point(previous.current, now, pollMs / 1000);
                    setPoints((current) => [...current, p].slice(-keepPoints));
                }
                previous.current = now;
                setError(null);
            } catch (failure) {
                setError(failure);
            }
        };
        poll();
        const timer = setInterval(() => !stopped && poll(), pollMs);
        return () => {
            stopped = true;
            clearInterval(timer);
        };
    }, []);
    return (
        <section class="panel" aria-labelledby="charts-title">
            <h2 id="charts-title">Over time</h2>
            <p>From this instance's /metrics every {pollMs / 1000} s while this page is open.</p>
            <ErrorBox error={error} title="Metrics could not be read" />
            <div class="charts">
                <Chart title="Calls placed" points={points} field="calls" unit="per interval" />
                <Chart title="Messages" points={points} field="messages" unit="per interval" />
                <Chart title="Transcription time" points={points} field="transcriptionMs" unit="ms average" />
                <Chart title="Server errors" points={points} field="errorRate" unit="% of responses" digits={1} />
            </div>
        </section>
    );
}

export function HealthPage({ ctx }) {
    return (
        <section aria-labelledby="health-title">
            <h1 id="health-title" tabIndex={-1}>
                Health
            </h1>
            <div class="health-grid">
                <Status ctx={ctx} />
                <SelfTest ctx={ctx} />
            </div>
            <Charts />
        </section>
    );
}
