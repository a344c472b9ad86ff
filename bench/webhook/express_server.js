'use strict';
// The Express peer of bench/webhook_ingest.sh: the seed's stack (one Node process, Express) doing the work
// crossvoice does on POST /api/voice/webhook, minus the call bookkeeping: check the Telnyx headers and the
// ±300 s timestamp window, verify the Ed25519 signature over "<timestamp>|<raw body>" with Node's crypto,
// parse the JSON envelope and store the event keyed by data.id (a duplicate id is acknowledged, not stored
// again), then answer 200 JSON. SQLite through better-sqlite3 (synchronous, in-process), with crossvoice's
// pragmas: journal_mode=WAL, synchronous=NORMAL, foreign_keys=ON.
//
// Environment:
//   LISTEN              host:port to listen on (default 127.0.0.1:0, a free port)
//   DB_PATH             the SQLite file (required; created with its table when missing)
//   TELNYX_PUBLIC_KEY   base64 of the raw 32-byte Ed25519 public key (required)
// Prints "listening on http://HOST:PORT" on stdout once it accepts connections. SIGTERM/SIGINT close it.

const crypto = require('node:crypto');
const express = require('express');
const Database = require('better-sqlite3');

const TOLERANCE_SECONDS = 300;

function fail(message) {
    process.stderr.write(`express_server: ${message}\n`);
    process.exit(1);
}

const listen = process.env.LISTEN || '127.0.0.1:0';
const colon = listen.lastIndexOf(':');
if (colon <= 0) fail(`LISTEN must be host:port, got '${listen}'`);
const host = listen.slice(0, colon);
const port = Number(listen.slice(colon + 1));
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`bad port in LISTEN '${listen}'`);

const dbPath = process.env.DB_PATH;
if (!dbPath) fail('DB_PATH is required');

const rawKey = Buffer.from(process.env.TELNYX_PUBLIC_KEY || '', 'base64');
if (rawKey.length !== 32) fail('TELNYX_PUBLIC_KEY must be base64 of a raw 32-byte Ed25519 public key');
const publicKey = crypto.createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: rawKey.toString('base64url') },
    format: 'jwk',
});

const db = new Database(dbPath);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('foreign_keys = ON');
db.pragma('busy_timeout = 5000');
db.exec(`CREATE TABLE IF NOT EXISTS events (
    id TEXT PRIMARY KEY,
    event_type TEXT NOT NULL,
    occurred_at TEXT,
    received_at INTEGER NOT NULL,
    payload_json TEXT NOT NULL
)`);
const insertEvent = db.prepare(
    'INSERT OR IGNORE INTO events (id, event_type, occurred_at, received_at, payload_json) VALUES (?, ?, ?, ?, ?)',
);

const app = express();
app.disable('x-powered-by');
app.disable('etag');

function reject(res, status, code, message) {
    res.status(status).json({ success: false, error: { code, message } });
}

app.post('/api/voice/webhook', express.raw({ type: 'application/json', limit: '1mb' }), (req, res) => {
    const signature = req.get('telnyx-signature-ed25519');
    const timestamp = req.get('telnyx-timestamp');
    if (!signature || !timestamp) return reject(res, 401, 'unauthorized', 'missing Telnyx signature headers');
    if (!/^[0-9]{1,12}$/.test(timestamp)) return reject(res, 401, 'unauthorized', 'bad Telnyx-Timestamp');
    if (Math.abs(Date.now() / 1000 - Number(timestamp)) > TOLERANCE_SECONDS) {
        return reject(res, 401, 'unauthorized', 'timestamp outside the tolerance window');
    }
    const body = req.body;
    if (!Buffer.isBuffer(body) || body.length === 0) return reject(res, 400, 'bad_request', 'expected a JSON body');
    const sig = Buffer.from(signature, 'base64');
    if (sig.length !== 64) return reject(res, 401, 'unauthorized', 'bad signature encoding');
    // The raw bytes as received: never re-serialised JSON.
    const message = Buffer.concat([Buffer.from(`${timestamp}|`), body]);
    if (!crypto.verify(null, message, publicKey, sig)) return reject(res, 401, 'unauthorized', 'bad signature');

    const text = body.toString('utf8');
    let envelope;
    try {
        envelope = JSON.parse(text);
    } catch {
        return reject(res, 400, 'bad_request', 'body is not JSON');
    }
    const data = envelope && envelope.data;
    if (!data || typeof data.id !== 'string' || data.id === '' || typeof data.event_type !== 'string') {
        return reject(res, 400, 'bad_request', 'not a Telnyx event envelope');
    }
    const stored = insertEvent.run(
        data.id,
        data.event_type,
        typeof data.occurred_at === 'string' ? data.occurred_at : null,
        Date.now(),
        text, // the whole envelope as received, as crossvoice stores it
    );
    res.status(200).json({
        success: true,
        data: { eventId: data.id, eventType: data.event_type, duplicate: stored.changes === 0 },
    });
});

const server = app.listen(port, host, () => {
    const address = server.address();
    process.stdout.write(`listening on http://${address.address}:${address.port}\n`);
});
server.keepAliveTimeout = 60_000;
server.on('error', (error) => fail(`listen on ${listen}: ${error.message}`));

let stopping = false;
function stop() {
    if (stopping) return;
    stopping = true;
    server.close(() => {
        db.close();
        process.exit(0);
    });
    server.closeAllConnections();
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
