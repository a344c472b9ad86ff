// Prometheus text exposition → samples, and the few series the Health page charts.

export function parseMetrics(text) {
    const samples = [];
    for (const line of text.split('\n')) {
        if (!line || line.startsWith('#')) continue;
        const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)/.exec(line);
        if (!match) continue;
        const labels = {};
        if (match[3]) {
            for (const pair of match[3].matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[pair[1]] = pair[2];
        }
        samples.push({ name: match[1], labels, value: Number(match[4]) });
    }
    return samples;
}

function sum(samples, name, predicate = () => true) {
    let total = 0;
    for (const sample of samples) if (sample.name === name && predicate(sample.labels)) total += sample.value;
    return total;
}

const isMessageRoute = (labels) => (labels.method === 'POST' && /\/messages$/.test(labels.route || '')) || labels.route === '/api/webhooks/sinch';
const isTranscribeRoute = (labels) => /^\/api\/voice\/(integration\/)?transcribe$/.test(labels.route || '');

// Cumulative counters at one moment.
export function totals(samples) {
    const transcribeSum = samples.some((s) => /transcri.*_sum$/.test(s.name))
        ? samples.filter((s) => /transcri.*_seconds_sum$/.test(s.name)).reduce((a, s) => a + s.value, 0)
        : sum(samples, 'crossvoice_http_request_duration_seconds_sum', isTranscribeRoute);
    const transcribeCount = samples.some((s) => /transcri.*_count$/.test(s.name))
        ? samples.filter((s) => /transcri.*_seconds_count$/.test(s.name)).reduce((a, s) => a + s.value, 0)
        : sum(samples, 'crossvoice_http_request_duration_seconds_count', isTranscribeRoute);
    return {
        calls: sum(samples, 'crossvoice_dials_total'),
        webhooks: sum(samples, 'crossvoice_webhooks_total'),
        messages: sum(samples, 'crossvoice_http_requests_total', isMessageRoute),
        requests: sum(samples, 'crossvoice_http_requests_total'),
        errors: sum(samples, 'crossvoice_http_requests_total', (labels) => Number(labels.status) >= 500),
        transcribeSum,
        transcribeCount,
        jobsFailed: sum(samples, 'crossvoice_jobs_total', (labels) => labels.outcome && labels.outcome !== 'succeeded' && labels.outcome !== 'success'),
    };
}

// One point per interval from two successive totals.
export function point(previous, current, seconds) {
    const delta = (name) => Math.max(0, current[name] - previous[name]);
    const requests = delta('requests');
    const transcriptions = delta('transcribeCount');
    return {
        calls: delta('calls'),
        messages: delta('messages'),
        transcriptionMs: transcriptions ? (delta('transcribeSum') / transcriptions) * 1000 : 0,
        errorRate: requests ? (delta('errors') / requests) * 100 : 0,
        seconds,
    };
}
