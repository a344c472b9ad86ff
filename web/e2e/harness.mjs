// End-to-end harness: a real crossvoice process on a free loopback port with a fresh data directory and the
// sandbox defaults, API keys for both platforms, and Debian's Chromium driven by playwright-core.
//
//   import { startService, launchBrowser, screenshot } from './harness.mjs';
//   const service = await startService();          // { url, keys: {tetrix, joromi}, api(), createKey(), stop() }
//   const browser = await launchBrowser();
//   const page = await browser.newPage();
//   await page.goto(service.url + '/console/');
//   await screenshot(page, 'console-sign-in');
//   await browser.close(); await service.stop();
//
// Environment: CROSSVOICE_BINARY (required: the crossvoice executable), CROSSVOICE_WEB_DIR (the built front end,
// default <repo>/build/web), CROSSVOICE_E2E_ARTIFACTS (screenshots, default <repo>/build/e2e-artifacts),
// CROSSVOICE_CHROMIUM (default /usr/bin/chromium), CROSSVOICE_E2E_KEEP=1 keeps the data directory.

import { spawn, execFile } from 'node:child_process';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

// Long enough for a call to be seen ringing and answered in the browser, short enough to keep tests quick.
export const sandboxDefaults = Object.freeze({
    CROSSVOICE_SANDBOX_ANSWER_DELAY_MS: '400',
    CROSSVOICE_SANDBOX_TALK_TIME_MS: '8000',
    CROSSVOICE_SANDBOX_SPEAK_MS_PER_CHAR: '5',
    CROSSVOICE_SANDBOX_RECORD_SECOND_MS: '200',
    CROSSVOICE_JOB_BACKOFF_MS: '200',
    CROSSVOICE_LIVE_POLL_MS: '50',
    // A Tuesday morning in New York: TETRIX's main line is open (not its after-hours branch) whenever the suite runs.
    CROSSVOICE_IVR_NOW: '2026-11-24T15:00:00Z',
    // 32+ bytes: hand-off between the platforms works (the widget's continuity test needs it).
    CROSS_PLATFORM_SESSION_SECRET: 'e2e-cross-platform-secret-0123456789abcdef',
});

export function binaryPath() {
    const binary = process.env.CROSSVOICE_BINARY;
    if (!binary) throw new Error('CROSSVOICE_BINARY is not set: point it at the crossvoice executable (make build)');
    if (!existsSync(binary)) throw new Error(`CROSSVOICE_BINARY=${binary} does not exist: build it first`);
    return path.resolve(binary);
}

export function webDir() {
    return path.resolve(process.env.CROSSVOICE_WEB_DIR || path.join(repoRoot, 'build', 'web'));
}

export function artifactsDir() {
    return path.resolve(process.env.CROSSVOICE_E2E_ARTIFACTS || path.join(repoRoot, 'build', 'e2e-artifacts'));
}

// The environment the service runs with: ours minus any CROSSVOICE_* / vendor setting of the caller's shell, so a
// developer's .env never changes a test.
function serviceEnvironment(dataDir, extra) {
    const env = {};
    for (const [key, value] of Object.entries(process.env)) {
        if (key.startsWith('CROSSVOICE_') || key === 'DATABASE_URL') continue;
        if (/^(TELNYX|DEEPGRAM|SINCH|OPENAI|ASSISTANT|LIBRETRANSLATE|WEBHOOK_BASE_URL|CROSS_PLATFORM)/.test(key)) continue;
        env[key] = value;
    }
    Object.assign(env, {
        CROSSVOICE_LISTEN: '127.0.0.1:0',
        CROSSVOICE_DATA_DIR: path.join(dataDir, 'data'),
        DATABASE_URL: 'sqlite:' + path.join(dataDir, 'data', 'crossvoice.db'),
        CROSSVOICE_LOG_LEVEL: 'info',
        CROSSVOICE_FLOWS_DIR: path.join(repoRoot, 'config', 'flows'),
        CROSSVOICE_KNOWLEDGE_DIR: path.join(repoRoot, 'config', 'knowledge'),
        CROSSVOICE_ASSISTANT_DIR: path.join(repoRoot, 'config', 'assistant'),
        CROSSVOICE_WEB_DIR: webDir(),
        ...sandboxDefaults,
        ...extra,
    });
    return env;
}

function parseEnvFile(text) {
    const out = {};
    for (const line of text.split('\n')) {
        const eq = line.indexOf('=');
        if (eq > 0) out[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
    }
    return out;
}

// Starts `crossvoice serve`; resolves once it listens and /readyz answers 200. `env` adds or overrides settings.
export async function startService({ env = {}, startupMs = 30000 } = {}) {
    const binary = binaryPath();
    const dataDir = await mkdtemp(path.join(tmpdir(), 'crossvoice-e2e-'));
    await mkdir(path.join(dataDir, 'data'), { recursive: true });
    const environment = serviceEnvironment(dataDir, env);
    const child = spawn(binary, ['serve'], { cwd: dataDir, env: environment, stdio: ['ignore', 'pipe', 'pipe'] });
    // A test runner that dies (or a spec that forgets stop()) must not leave the service running.
    const killOnExit = () => child.kill('SIGKILL');
    process.once('exit', killOnExit);
    let stderr = '';
    let stdout = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
        stderr += chunk;
        if (stderr.length > 4_000_000) stderr = stderr.slice(-2_000_000);
    });
    child.stdout.setEncoding('utf8');
    let exited = null;
    const exitPromise = new Promise((resolve) => child.on('exit', (code, signal) => resolve((exited = { code, signal }))));

    const started = new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`crossvoice did not listen within ${startupMs} ms; stderr:\n${stderr}`)), startupMs);
        let keysFile = null;
        child.stdout.on('data', (chunk) => {
            stdout += chunk;
            for (const line of stdout.split('\n')) {
                if (line.startsWith('development API keys: ')) keysFile = line.slice('development API keys: '.length).trim();
                const m = /^listening on (http:\/\/[^\s]+)/.exec(line);
                if (m) {
                    clearTimeout(timer);
                    resolve({ url: m[1], keysFile });
                }
            }
        });
        exitPromise.then((e) => {
            clearTimeout(timer);
            reject(new Error(`crossvoice exited (${e.code ?? e.signal}) before listening; stderr:\n${stderr}`));
        });
    });
    let url, keysFile;
    try {
        ({ url, keysFile } = await started);
    } catch (error) {
        child.kill('SIGKILL');
        throw error;
    }

    const service = {
        url,
        port: Number(new URL(url).port),
        dataDir,
        env: environment,
        keys: {},
        process: child,
        stdout: () => stdout,
        stderr: () => stderr,
        // JSON over HTTP with a key: resolves {status, headers, body (parsed when JSON), text}.
        api: (method, route, { key, body, headers = {} } = {}) => request(url, method, route, { key, body, headers }),
        // `crossvoice keys create`: a further key of `platform`; resolves the secret.
        createKey: (platform, name = 'e2e') => createKey(binary, dataDir, environment, platform, name),
        stop: async () => {
            process.removeListener('exit', killOnExit);
            if (!exited) {
                child.kill('SIGTERM');
                const timeout = new Promise((resolve) => setTimeout(resolve, 15000, 'timeout'));
                if ((await Promise.race([exitPromise, timeout])) === 'timeout') {
                    child.kill('SIGKILL');
                    await exitPromise;
                }
            }
            if (process.env.CROSSVOICE_E2E_KEEP !== '1') await rm(dataDir, { recursive: true, force: true });
        },
    };
    try {
        await waitFor(async () => (await service.api('GET', '/readyz')).status === 200, { timeoutMs: startupMs, what: '/readyz' });
        if (keysFile) {
            const file = path.isAbsolute(keysFile) ? keysFile : path.join(dataDir, keysFile);
            const parsed = parseEnvFile(await readFile(file, 'utf8'));
            service.keys.tetrix = parsed.TETRIX_API_KEY;
            service.keys.joromi = parsed.JOROMI_API_KEY;
        }
        if (!service.keys.tetrix) service.keys.tetrix = await service.createKey('tetrix');
        if (!service.keys.joromi) service.keys.joromi = await service.createKey('joromi');
    } catch (error) {
        await service.stop();
        throw error;
    }
    return service;
}

async function createKey(binary, dataDir, environment, platform, name) {
    const { stdout } = await execFileAsync(binary, ['keys', 'create', '--platform', platform, '--name', name], {
        cwd: dataDir,
        env: environment,
    });
    const lines = stdout.trim().split('\n');
    return lines[lines.length - 1].trim();
}

export async function request(base, method, route, { key, body, headers = {} } = {}) {
    const init = { method, headers: { ...headers } };
    if (key) init.headers.Authorization = `Bearer ${key}`;
    if (body !== undefined) {
        if (typeof body === 'string') {
            init.body = body;
        } else {
            init.body = JSON.stringify(body);
            init.headers['Content-Type'] ??= 'application/json';
        }
    }
    const response = await fetch(base + route, init);
    const text = await response.text();
    let parsed = text;
    if ((response.headers.get('content-type') || '').includes('json')) {
        try {
            parsed = JSON.parse(text);
        } catch {
            /* leave the text */
        }
    }
    return { status: response.status, headers: response.headers, body: parsed, text };
}

// Polls `condition` (sync or async, truthy = done) until it holds; resolves its value. For conditions outside the
// browser (the API, files); inside a page, wait on Playwright locators instead.
export async function waitFor(condition, { timeoutMs = 15000, intervalMs = 100, what = 'condition' } = {}) {
    const deadline = Date.now() + timeoutMs;
    let lastError;
    for (;;) {
        try {
            const value = await condition();
            if (value) return value;
        } catch (error) {
            lastError = error;
        }
        if (Date.now() > deadline) {
            throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}` + (lastError ? `: ${lastError.message}` : ''));
        }
        await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
}

export function chromiumPath() {
    return process.env.CROSSVOICE_CHROMIUM || '/usr/bin/chromium';
}

// Debian's Chromium through playwright-core. Missing Chromium throws (run.mjs decides whether that is a skip).
export async function launchBrowser({ headless = true } = {}) {
    const executablePath = chromiumPath();
    if (!existsSync(executablePath)) throw new Error(`${executablePath} is missing: apt-get install chromium (scripts/deps.txt)`);
    const { chromium } = await import('playwright-core');
    return chromium.launch({ executablePath, headless, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

// A page whose console errors and failed requests are collected (page.problems) so specs can assert on them.
export async function newPage(browser, { viewport = { width: 1366, height: 860 } } = {}) {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    page.problems = [];
    page.on('console', (message) => {
        if (message.type() === 'error') page.problems.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => page.problems.push(`page error: ${error.message}`));
    return page;
}

// Saves a full-page PNG as <artifacts>/<name>.png; resolves the path.
export async function screenshot(page, name) {
    const dir = artifactsDir();
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, `${name.replace(/[^A-Za-z0-9._-]/g, '_')}.png`);
    await page.screenshot({ path: file, fullPage: true });
    return file;
}

// Writes a text artifact (service logs of a failed run, for example).
export async function saveArtifact(name, text) {
    const dir = artifactsDir();
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, name);
    await writeFile(file, text);
    return file;
}

// Signs the console in with `key` (the console's own sign-in form) and waits for the navigation to appear.
export async function signInConsole(page, service, key) {
    await page.goto(service.url + '/console/');
    await page.getByLabel('API key').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Console' }).waitFor({ timeout: 15000 });
}
