// The staff console in Chromium against a real crossvoice with the sandbox carrier.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, newPage, saveArtifact, screenshot, signInConsole, startService } from './harness.mjs';

describe('console', () => {
    let service;
    let browser;
    let failed = false;

    before(async () => {
        service = await startService();
        browser = await launchBrowser();
    });

    after(async () => {
        if (browser) await browser.close();
        if (service) {
            if (failed) await saveArtifact('console-service-stderr.log', service.stderr());
            await service.stop();
        }
    });

    // Each test: a fresh browser context (its own sessionStorage), screenshots, and the page's own errors.
    async function withPage(name, body) {
        const page = await newPage(browser);
        try {
            await body(page);
        } catch (error) {
            failed = true;
            await screenshot(page, `${name}-failure`).catch(() => {});
            throw error;
        } finally {
            await page.context().close();
        }
    }

    test('a wrong key is refused with a message saying what to do', () =>
        withPage('wrong-key', async (page) => {
            await page.goto(service.url + '/console/');
            await screenshot(page, 'console-sign-in');
            await page.getByLabel('API key').fill('cv_tetrix_thisKeyDoesNotExist000000000000000000000');
            await page.getByRole('button', { name: 'Sign in' }).click();
            const alert = page.getByRole('alert');
            await alert.waitFor({ timeout: 10000 });
            const text = await alert.innerText();
            assert.match(text, /refused/i);
            assert.match(text, /try again|keys create/i);
            assert.equal(await page.getByRole('navigation', { name: 'Console' }).count(), 0);
            assert.equal(await page.evaluate(() => sessionStorage.length), 0);
            await screenshot(page, 'console-wrong-key');
        }));

    test('the key stays out of URLs and the console is branded by its platform', () =>
        withPage('branding', async (page) => {
            const requested = [];
            page.on('request', (request) => requested.push(request.url()));
            await signInConsole(page, service, service.keys.joromi);
            await page.getByRole('heading', { name: 'Live' }).waitFor();
            assert.match(await page.locator('.brand').innerText(), /JoRoMi/);
            assert.equal(await page.evaluate(() => document.documentElement.dataset.platform), 'joromi');
            for (const url of requested) assert.ok(!url.includes(service.keys.joromi), `the key appeared in ${url}`);
        }));

    test('a sandbox call through the TETRIX main flow appears live and its transcript arrives', () =>
        withPage('live-call', async (page) => {
            await signInConsole(page, service, service.keys.tetrix);
            await page.locator('.connection-open').waitFor({ timeout: 15000 });
            await screenshot(page, 'console-live-empty');

            // A caller dials TETRIX main (+12025550100), presses 5 for voicemail and leaves a message.
            const call = service.api('POST', '/sandbox/sandbox/texml/calls', {
                body: { to: '+12025550100', script: [{ press: '5' }, { record: 'Please call me back about my order.' }] },
            });
            const row = page.locator('tr[data-session]').first();
            await row.waitFor({ timeout: 30000 });
            const sessionId = await row.getAttribute('data-session');
            assert.match(sessionId, /^ses_/);
            await page.locator(`tr[data-session="${sessionId}"] >> text=voice`).waitFor();
            // The call's state came from the event stream (answered, then completed).
            await page.locator(`tr[data-session="${sessionId}"][data-state="completed"], tr[data-session="${sessionId}"][data-state="answered"]`).waitFor({ timeout: 30000 });
            await screenshot(page, 'console-live');
            const placed = await call;
            assert.equal(placed.status, 200, placed.text);
            assert.equal(placed.body.outcome, 'hangup');

            // Its session page: the call, then the transcript as it arrives (the recording is transcribed by a job).
            await row.getByRole('link').click();
            await page.getByRole('heading', { name: /Session/ }).waitFor();
            assert.ok(page.url().endsWith(`/console/sessions/${sessionId}`));
            await page.locator('[data-call]').first().waitFor({ timeout: 15000 });
            await page.locator('li.entry[data-type="transcription"]').first().waitFor({ timeout: 90000 });
            const transcript = await page.locator('li.entry[data-type="transcription"]').first().innerText();
            assert.match(transcript, /Customer/);
            assert.match(transcript, /en/);
            await screenshot(page, 'console-session-call');
        }));

    test('an agent takes over a SHANGO chat and replies from the session page', () =>
        withPage('take-over', async (page) => {
            const chat = await service.api('POST', '/api/v1/shango/sessions', { key: service.keys.tetrix, body: { userId: 'e2e-visitor' } });
            assert.equal(chat.status, 201, chat.text);
            const id = chat.body.sessionId;
            await service.api('POST', `/api/v1/shango/sessions/${id}/messages`, { key: service.keys.tetrix, body: { message: 'How do I send a fax?' } });

            await signInConsole(page, service, service.keys.tetrix);
            await page.goto(`${service.url}/console/sessions/${id}`);
            await page.getByRole('heading', { name: /Session/ }).waitFor();
            await page.locator('li.entry-assistant').first().waitFor();
            await page.getByRole('button', { name: 'Take over from SHANGO' }).click();
            await page.locator('[data-testid="owner"]', { hasText: 'agent' }).waitFor();
            await page.getByLabel(/Reply to the customer/).fill('Hi, Ana here. I can help with that.');
            await page.getByRole('button', { name: 'Send reply' }).click();
            await page.locator('li.entry-agent', { hasText: 'Ana here' }).waitFor({ timeout: 15000 });
            await screenshot(page, 'console-session-chat');
            const timeline = await service.api('GET', `/api/voice/integration/sessions/${id}/messages`, { key: service.keys.tetrix });
            assert.ok(timeline.body.messages.some((m) => m.author === 'agent' && m.content.includes('Ana here')));
        }));

    test('an invalid flow edit shows the validator message and saves nothing', () =>
        withPage('flow-invalid', async (page) => {
            await signInConsole(page, service, service.keys.tetrix);
            await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Flows' }).click();
            await page.getByRole('heading', { name: 'Flows' }).waitFor();
            await page.getByRole('link', { name: /tetrix-main/ }).click();
            const source = page.getByLabel(/Source of tetrix-main/);
            await source.waitFor();
            await page.locator('svg[role="img"] .node').first().waitFor();
            await screenshot(page, 'console-flows');
            const original = await source.inputValue();
            assert.match(original, /main_menu/);
            // Point the menu's first option at a node that does not exist.
            const broken = original.replace(/next: sales\b/, 'next: no_such_node');
            assert.notEqual(broken, original, 'the edit did not apply');
            await source.fill(broken);
            await page.getByRole('button', { name: 'Save flow' }).click();
            const message = page.locator('[data-testid="flow-validation"]');
            await message.waitFor({ timeout: 10000 });
            assert.match(await message.innerText(), /no_such_node/);
            await screenshot(page, 'console-flow-invalid');
            const stored = await service.api('GET', '/api/ivr/flows/tetrix-main', { key: service.keys.tetrix });
            assert.equal(stored.body.flow.version, 1);

            // The test call panel runs the simulator and shows the call step by step.
            await source.fill(original);
            await page.getByRole('button', { name: 'Place test call' }).click();
            await page.getByText(/Outcome:/).waitFor({ timeout: 60000 });
            assert.ok((await page.locator('.steps li').count()) > 2);
            await screenshot(page, 'console-flow-test-call');
        }));

    test('knowledge, health, sessions and audit pages render real data', () =>
        withPage('pages', async (page) => {
            await signInConsole(page, service, service.keys.tetrix);
            const nav = page.getByRole('navigation', { name: 'Console' });

            await nav.getByRole('link', { name: 'Sessions' }).click();
            await page.getByRole('heading', { name: 'Sessions' }).waitFor();
            await page.locator('table.grid tbody tr').first().waitFor({ timeout: 10000 });
            await screenshot(page, 'console-sessions');

            await nav.getByRole('link', { name: 'Knowledge' }).click();
            await page.getByRole('heading', { name: 'Knowledge' }).waitFor();
            await page.getByLabel('Question').fill('how do I send a text message');
            await page.getByRole('button', { name: 'Ask' }).click();
            await page.locator('ol.passages li').first().waitFor({ timeout: 10000 });
            await page.getByRole('link', { name: /messaging/ }).click();
            await page.getByLabel(/Markdown of messaging/).waitFor();
            await screenshot(page, 'console-knowledge');

            await nav.getByRole('link', { name: 'Health' }).click();
            await page.getByRole('heading', { name: 'Health' }).waitFor();
            await page.locator('tr[data-dependency="database"]').waitFor({ timeout: 30000 });
            await screenshot(page, 'console-health');

            // Keyboard: Alt+A opens the audit log.
            await page.keyboard.press('Alt+A');
            await page.getByRole('heading', { name: 'Audit log' }).waitFor();
            await page.locator('table.grid tbody tr').first().waitFor({ timeout: 10000 });
            await screenshot(page, 'console-audit');
            assert.deepEqual(page.problems.filter((p) => !/status of 4\d\d/.test(p)), []);
        }));

    test('static files carry caching headers and a strict policy', async () => {
        const index = await fetch(service.url + '/console/sessions', { headers: { 'Accept-Encoding': 'gzip' } });
        assert.equal(index.status, 200);
        assert.equal(index.headers.get('cache-control'), 'no-cache');
        assert.match(index.headers.get('content-security-policy'), /script-src 'self'/);
        assert.equal(index.headers.get('x-content-type-options'), 'nosniff');
        const html = await index.text();
        const script = /src="(\/console\/assets\/[^"]+\.js)"/.exec(html)[1];
        const asset = await fetch(service.url + script);
        assert.equal(asset.status, 200);
        assert.equal(asset.headers.get('cache-control'), 'public, max-age=31536000, immutable');
        const again = await fetch(service.url + script, { headers: { 'If-None-Match': asset.headers.get('etag') } });
        assert.equal(again.status, 304);
        const traversal = await fetch(service.url + '/console/%2e%2e/%2e%2e/etc/passwd');
        assert.ok([400, 404].includes(traversal.status));
    });
});
