// The visitor widget on the demo pages, in Chromium against a real crossvoice (sandbox carrier, SHANGO on the
// shipped knowledge base): chatting with SHANGO, an agent taking over and replying, "call me", and a hand-off from
// the TETRIX demo page to the JoRoMi one that keeps the conversation.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, newPage, saveArtifact, screenshot, startService, waitFor } from './harness.mjs';

const WIDGET = '[data-crossvoice-widget]';
const messages = (page, from) => page.locator(`${WIDGET} li.msg${from ? `[data-from="${from}"]` : ''}`);

describe('widget', () => {
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
            if (failed) await saveArtifact('widget-service-stderr.log', service.stderr());
            await service.stop();
        }
    });

    async function withPage(name, body) {
        const page = await newPage(browser);
        try {
            await body(page);
            // The demo pages run under the strict CSP: the widget's script and styles must not trip it.
            assert.deepEqual(page.problems.filter((problem) => /Content Security Policy|Refused/i.test(problem)), []);
        } catch (error) {
            failed = true;
            await screenshot(page, `${name}-failure`).catch(() => {});
            throw error;
        } finally {
            await page.context().close();
        }
    }

    async function openWidget(page, platform) {
        const name = platform === 'tetrix' ? 'TETRIX' : 'JoRoMi';
        await page.goto(`${service.url}/demo/${platform}`);
        const launcher = page.getByRole('button', { name: `Chat with ${name}` });
        await launcher.click();
        assert.equal(await launcher.getAttribute('aria-expanded'), 'true');
        await page.getByRole('dialog', { name: new RegExp(`${name} chat`) }).waitFor();
        await messages(page, 'shango').first().waitFor();  // SHANGO's greeting
    }

    async function say(page, text) {
        const input = page.getByLabel('Your message');
        await input.fill(text);
        await input.press('Enter');
        await page.locator(`${WIDGET} li.msg[data-from="visitor"]`, { hasText: text }).waitFor();
    }

    const conversation = (page, platform) =>
        page.evaluate((key) => JSON.parse(sessionStorage.getItem(key)), `crossvoice.widget.${platform}`);

    test('the widget on the TETRIX demo page chats with SHANGO and keeps the conversation across a reload', () =>
        withPage('widget-shango', async (page) => {
            await openWidget(page, 'tetrix');
            // Focus moves into the panel, on the message box; the launcher is a real button with a name.
            assert.equal(await page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.tagName), 'TEXTAREA');
            await screenshot(page, 'widget-tetrix-open');
            await say(page, 'How do I reset my password?');
            await waitFor(async () => (await messages(page, 'shango').count()) >= 2, { what: "SHANGO's answer" });
            const answer = await messages(page, 'shango').nth(1).innerText();
            assert.match(answer, /password/i);
            await screenshot(page, 'widget-tetrix-shango-answer');

            const saved = await conversation(page, 'tetrix');
            assert.match(saved.sessionId, /^ses_/);
            assert.match(saved.visitorToken, /^cvv1\./);
            // The token never appears in a URL.
            assert.doesNotMatch(page.url(), /cvv1/);

            await page.reload();
            await page.getByRole('dialog', { name: /TETRIX chat/ }).waitFor();
            await messages(page, 'visitor').filter({ hasText: 'How do I reset my password?' }).waitFor();
            assert.equal((await conversation(page, 'tetrix')).sessionId, saved.sessionId);

            // Escape closes the panel and gives focus back to the launcher.
            await page.getByLabel('Your message').press('Escape');
            assert.equal(await page.getByRole('button', { name: 'Chat with TETRIX' }).getAttribute('aria-expanded'), 'false');
        }));

    test('an agent takes over a SHANGO chat and the widget receives the reply', () =>
        withPage('widget-agent', async (page) => {
            await openWidget(page, 'tetrix');
            await say(page, 'What are your support hours?');
            await waitFor(async () => (await messages(page, 'shango').count()) >= 2, { what: "SHANGO's answer" });
            const { sessionId } = await conversation(page, 'tetrix');

            const key = service.keys.tetrix;
            const owner = await service.api('PUT', `/api/voice/integration/sessions/${sessionId}/owner`, {
                key, body: { owner: 'agent', agentId: 'ana' },
            });
            assert.equal(owner.status, 200, owner.text);
            const reply = await service.api('POST', `/api/voice/integration/sessions/${sessionId}/messages`, {
                key, body: { message: 'Hi, Ana here from TETRIX support. How can I help?', agentId: 'ana' },
            });
            assert.equal(reply.status, 202, reply.text);

            await messages(page, 'agent').filter({ hasText: 'Ana here' }).waitFor({ timeout: 15000 });
            await page.locator(`${WIDGET} .who`, { hasText: 'A member of our team' }).waitFor();
            await screenshot(page, 'widget-agent-reply');

            // SHANGO stays quiet now: the visitor's next message waits for the agent.
            const shangoBefore = await messages(page, 'shango').count();
            await say(page, 'Thanks Ana, my invoice looks wrong');
            await page.getByRole('status').filter({ hasText: 'A member of our team will answer here.' }).waitFor();
            assert.equal(await messages(page, 'shango').count(), shangoBefore);
            // The staff see the visitor's message on the session's timeline.
            await waitFor(async () => {
                const timeline = await service.api('GET', `/api/voice/integration/sessions/${sessionId}/messages`, { key });
                return JSON.stringify(timeline.body).includes('my invoice looks wrong');
            }, { what: "the visitor's message on the staff's timeline" });
        }));

    test('"call me" places a call back to the visitor in the same conversation', () =>
        withPage('widget-call-me', async (page) => {
            await openWidget(page, 'joromi');
            await page.getByRole('button', { name: 'Call me', exact: true }).click();
            const phone = page.getByLabel('Your phone number (with country code)');
            await phone.fill('12345');
            await page.getByRole('button', { name: 'Call me now' }).click();
            await page.getByRole('alert').filter({ hasText: 'country code' }).waitFor();
            await phone.fill('+1 415 555 0123');
            await page.getByRole('button', { name: 'Call me now' }).click();
            await page.getByRole('status').filter({ hasText: /Calling you now|ringing|connected/ }).waitFor({ timeout: 15000 });
            await screenshot(page, 'widget-call-me');
            const { sessionId } = await conversation(page, 'joromi');
            const detail = await service.api('GET', `/api/voice/integration/sessions/${sessionId}`, { key: service.keys.joromi });
            assert.equal(detail.status, 200, detail.text);
            assert.equal(detail.body.session.calls?.[0]?.to ?? detail.body.calls?.[0]?.to, '+14155550123');
        }));

    test('a hand-off from the TETRIX demo page to the JoRoMi demo page keeps the conversation', () =>
        withPage('widget-handoff', async (page) => {
            await openWidget(page, 'tetrix');
            await say(page, 'Can I get a refund?');
            await waitFor(async () => (await messages(page, 'shango').count()) >= 2, { what: "SHANGO's answer" });
            const tetrix = await conversation(page, 'tetrix');
            await screenshot(page, 'widget-handoff-tetrix');

            await page.locator(WIDGET).getByRole('button', { name: 'Continue on JoRoMi' }).click();
            await page.waitForURL(/\/demo\/joromi/);
            await page.getByRole('dialog', { name: /JoRoMi chat/ }).waitFor();
            await messages(page, 'visitor').filter({ hasText: 'Can I get a refund?' }).waitFor({ timeout: 15000 });
            await page.locator(`${WIDGET} li.msg.event`, { hasText: 'continues on JoRoMi' }).waitFor();
            // The token was read from the fragment and removed: it is in no URL, history entry or request.
            assert.doesNotMatch(page.url(), /handoff|cvh1/);
            const joromi = await conversation(page, 'joromi');
            assert.equal(joromi.sessionId, tetrix.sessionId);
            assert.notEqual(joromi.visitorToken, tetrix.visitorToken);
            await screenshot(page, 'widget-handoff-joromi');

            // The conversation goes on here, on the one timeline JoRoMi's staff now see too.
            await say(page, 'Hello from JoRoMi');
            await waitFor(async () => {
                const timeline = await service.api('GET', `/api/voice/integration/sessions/${joromi.sessionId}/messages`, {
                    key: service.keys.joromi,
                });
                return timeline.status === 200 && JSON.stringify(timeline.body).includes('Hello from JoRoMi');
            }, { what: "JoRoMi's view of the continued timeline" });
        }));
});
