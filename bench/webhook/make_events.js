'use strict';
// Pre-signs COUNT unique Telnyx webhook deliveries for bench/webhook/replay.lua (wrk) to replay.
//
//   node make_events.js --key FILE --count N --out FILE
//
// --key FILE   the Ed25519 private key (PKCS#8 PEM). When FILE does not exist a fresh key pair is generated and
//              written there (mode 0600) with the public key, base64 of its raw 32 bytes, in FILE.pub: the value
//              of TELNYX_PUBLIC_KEY for the server under test.
// --count N    how many deliveries, each with its own data.id (a random UUID) and call.
// --out FILE   one delivery per line: "<timestamp>\t<base64 signature>\t<raw JSON body>". JSON.stringify escapes
//              control characters, so a body never contains a tab or a newline.
//
// Every delivery carries the current Unix time as Telnyx-Timestamp, so the file must be replayed within the
// servers' ±300 s window: generate it right before the run. Alternating call.initiated / call.answered events,
// for calls the server does not know: still verified, parsed and stored. Prints one line of JSON on stdout:
// {"count":N,"publicKey":"...","bodyBytes":{"min":..,"max":..,"mean":..},"messageBytes":..,"timestamp":..}
// where messageBytes is the mean size of the signed message "<timestamp>|<body>".

const crypto = require('node:crypto');
const fs = require('node:fs');

function fail(message) {
    process.stderr.write(`make_events: ${message}\n`);
    process.exit(1);
}

const options = { key: '', count: 0, out: '' };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
    const [name, inline] = argv[i].split(/=(.*)/s);
    const value = inline !== undefined ? inline : argv[++i];
    if (value === undefined) fail(`${name} needs a value`);
    if (name === '--key') options.key = value;
    else if (name === '--count') options.count = Number(value);
    else if (name === '--out') options.out = value;
    else fail(`unknown argument '${name}' (usage: make_events.js --key FILE --count N --out FILE)`);
}
if (!options.key || !options.out) fail('--key and --out are required');
if (!Number.isInteger(options.count) || options.count < 1) fail('--count must be a positive integer');

let privateKey;
if (fs.existsSync(options.key)) {
    privateKey = crypto.createPrivateKey(fs.readFileSync(options.key));
} else {
    const pair = crypto.generateKeyPairSync('ed25519');
    privateKey = pair.privateKey;
    fs.writeFileSync(options.key, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    const raw = Buffer.from(pair.publicKey.export({ format: 'jwk' }).x, 'base64url');
    fs.writeFileSync(`${options.key}.pub`, `${raw.toString('base64')}\n`);
}
const publicRaw = Buffer.from(crypto.createPublicKey(privateKey).export({ format: 'jwk' }).x, 'base64url');

const timestamp = String(Math.floor(Date.now() / 1000));
const occurredAt = new Date().toISOString();
const prefix = Buffer.from(`${timestamp}|`);
const fd = fs.openSync(options.out, 'w');
const chunk = [];
let chunkBytes = 0;
let minBody = Infinity;
let maxBody = 0;
let totalBody = 0;

function flush() {
    fs.writeSync(fd, chunk.join(''));
    chunk.length = 0;
    chunkBytes = 0;
}

for (let i = 0; i < options.count; i++) {
    const callSession = crypto.randomUUID();
    const answered = i % 2 === 1;
    const envelope = {
        data: {
            record_type: 'event',
            event_type: answered ? 'call.answered' : 'call.initiated',
            id: crypto.randomUUID(),
            occurred_at: occurredAt,
            payload: {
                call_control_id: `v3:bench-${callSession}`,
                call_leg_id: crypto.randomUUID(),
                call_session_id: callSession,
                connection_id: 'bench',
                client_state: null,
                from: '+12025550100',
                to: '+14155550123',
                direction: 'outgoing',
                state: answered ? 'answered' : 'bridging',
                start_time: occurredAt,
            },
        },
        meta: { attempt: 1, delivered_to: 'http://127.0.0.1/api/voice/webhook' },
    };
    const body = Buffer.from(JSON.stringify(envelope));
    const signature = crypto.sign(null, Buffer.concat([prefix, body]), privateKey).toString('base64');
    minBody = Math.min(minBody, body.length);
    maxBody = Math.max(maxBody, body.length);
    totalBody += body.length;
    const line = `${timestamp}\t${signature}\t${body.toString('utf8')}\n`;
    chunk.push(line);
    chunkBytes += line.length;
    if (chunkBytes >= 1 << 20) flush();
}
flush();
fs.closeSync(fd);

const meanBody = totalBody / options.count;
process.stdout.write(
    `${JSON.stringify({
        count: options.count,
        publicKey: publicRaw.toString('base64'),
        bodyBytes: { min: minBody, max: maxBody, mean: Math.round(meanBody) },
        messageBytes: Math.round(prefix.length + meanBody),
        timestamp: Number(timestamp),
    })}\n`,
);
