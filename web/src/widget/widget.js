// The visitor widget: a launcher button and a chat panel in a shadow root, talking to crossvoice's visitor API.
import { explain, VisitorApi, WidgetError } from './api.js';
import { h } from './dom.js';
import { EventStream } from './stream.js';
import { adoptStyles } from './styles.js';
import * as store from './store.js';

const NAMES = { tetrix: 'TETRIX', joromi: 'JoRoMi' };
const OTHER = { tetrix: 'joromi', joromi: 'tetrix' };
const FROM = { visitor: 'You', shango: 'SHANGO', agent: 'Agent', system: '' };

let counter = 0;

export class Widget {
    // config: {base, platform, handoffUrl?, title?, language?, open?}
    constructor(config) {
        this.config = config;
        this.platform = config.platform;
        this.api = new VisitorApi(config.base, config.platform);
        this.messages = new Map();  // id -> element
        this.stream = null;
        this.starting = null;
        this.continued = false;
        this.build();
    }

    build() {
        const id = `crossvoice-widget-${++counter}`;
        const name = NAMES[this.platform] || this.platform;
        const other = NAMES[OTHER[this.platform]];
        this.host = h('div', { 'data-platform': this.platform, 'data-crossvoice-widget': '' });
        this.root = this.host.attachShadow({ mode: 'open' });
        adoptStyles(this.root);

        this.launcher = h('button', {
            class: 'launcher', type: 'button', 'aria-expanded': 'false', 'aria-controls': `${id}-panel`,
            onclick: () => (this.panel.hidden ? this.open() : this.close()),
        }, this.config.title || `Chat with ${name}`);
        this.log = h('ol', { class: 'log', role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions', 'aria-label': 'Conversation' });
        this.status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
        this.input = h('textarea', { id: `${id}-text`, rows: 1, maxlength: 4000, autocomplete: 'off', onkeydown: (event) => this.keydown(event) });
        this.sendButton = h('button', { class: 'send', type: 'submit' }, 'Send');
        this.compose = h('form', { class: 'compose', onsubmit: (event) => { event.preventDefault(); this.send(); } },
            h('label', { class: 'sr-only', for: `${id}-text` }, 'Your message'), this.input, this.sendButton);

        this.phone = h('input', { id: `${id}-phone`, type: 'tel', autocomplete: 'tel', inputmode: 'tel', placeholder: '+1 415 555 0123', required: true });
        this.callForm = h('form', { class: 'callme', hidden: true, 'aria-label': 'Call me', onsubmit: (event) => { event.preventDefault(); this.callMe(); } },
            h('label', { for: `${id}-phone` }, 'Your phone number (with country code)', this.phone),
            h('button', { class: 'primary', type: 'submit' }, 'Call me now'),
            h('button', { class: 'secondary', type: 'button', onclick: () => this.toggleCall(false) }, 'Cancel'));
        this.callButton = h('button', { class: 'secondary', type: 'button', 'aria-expanded': 'false', onclick: () => this.toggleCall(this.callForm.hidden) }, 'Call me');
        const actions = h('div', { class: 'actions' }, this.callButton);
        if (this.config.handoffUrl && other) {
            this.handoffButton = h('button', { class: 'secondary', type: 'button', onclick: () => this.handOff(this.config.handoffUrl) }, `Continue on ${other}`);
            actions.append(this.handoffButton);
        }
        this.panel = h('section', { class: 'panel', id: `${id}-panel`, hidden: true, role: 'dialog', 'aria-modal': 'false', 'aria-labelledby': `${id}-title`,
            onkeydown: (event) => { if (event.key === 'Escape') { event.stopPropagation(); this.close(); } } },
            h('header', {},
                h('h2', { id: `${id}-title` }, `${name} chat`, this.who = h('span', { class: 'who' }, 'SHANGO, our assistant')),
                h('button', { class: 'close', type: 'button', 'aria-label': 'Close chat', onclick: () => this.close() }, '✕')),
            this.log, this.status, this.compose, this.callForm, actions);
        this.root.append(this.panel, this.launcher);
        document.body.append(this.host);
    }

    // --- opening and closing -------------------------------------------------------------------------------------

    async open() {
        this.panel.hidden = false;
        this.launcher.setAttribute('aria-expanded', 'true');
        store.setOpen(this.platform, true);
        this.input.focus();
        await this.ensureConversation();
    }

    close() {
        this.panel.hidden = true;
        this.launcher.setAttribute('aria-expanded', 'false');
        store.setOpen(this.platform, false);
        this.launcher.focus();
    }

    keydown(event) {
        // Enter sends, Shift+Enter is a new line.
        if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
            event.preventDefault();
            this.send();
        }
    }

    // --- the conversation ------------------------------------------------------------------------------------------

    ensureConversation(options = {}) {
        if (this.api.sessionId && !options.handoffToken) return Promise.resolve(true);
        if (!this.starting) {
            this.starting = this.startConversation(options).finally(() => { this.starting = null; });
        }
        return this.starting;
    }

    async startConversation({ handoffToken } = {}) {
        this.say(handoffToken ? 'Continuing your conversation…' : 'Connecting…');
        try {
            const started = await this.api.start({ handoffToken, language: this.config.language });
            this.adopt(started);
            this.say(started.continued ? `Your conversation continues here on ${NAMES[this.platform]}.` : '');
            return true;
        } catch (error) {
            this.say(handoffToken ? `We could not continue your conversation: ${explain(error)}` : explain(error), true);
            return false;
        }
    }

    adopt(started) {
        this.api.use(started.sessionId, started.visitorToken);
        this.continued = Boolean(started.continued);
        store.save(this.platform, { sessionId: started.sessionId, visitorToken: started.visitorToken, expiresAt: started.expiresAt, continued: this.continued });
        this.clear();
        for (const message of started.messages || []) this.render(message);
        this.owner(started.owner);
        this.follow();
    }

    async restore(saved) {
        this.api.use(saved.sessionId, saved.visitorToken);
        this.continued = Boolean(saved.continued);
        try {
            const timeline = await this.api.messages();
            this.clear();
            for (const message of timeline.messages) this.render(message);
            this.owner(timeline.owner);
            this.follow();
            return true;
        } catch (error) {
            if (error instanceof WidgetError && [401, 403, 404].includes(error.status)) {
                store.forget(this.platform);
                this.api.use(null, null);
                return false;
            }
            this.say(explain(error), true);
            return false;
        }
    }

    follow() {
        if (this.stream) this.stream.stop();
        this.stream = new EventStream(this.api.base + this.api.conversationPath('events'), this.api.token, {
            onEvent: (event) => this.event(event),
            onState: (state, status) => {
                if (state === 'stopped' && status !== 404) this.say('This conversation has expired. Reload the page to start a new one.', true);
            },
        });
    }

    event(event) {
        if (event.type === 'message' && event.data) this.render(event.data);
        else if (event.type === 'conversation.owner' && event.data) this.owner(event.data.owner);
        else if (event.type === 'call.state' && event.data) this.callState(event.data.state);
        else if (event.type === 'session.status' && event.data && event.data.status === 'ended') {
            this.say('This conversation has ended.');
            this.input.disabled = true;
            this.sendButton.disabled = true;
        } else if (event.type === 'reset') {
            this.restore({ sessionId: this.api.sessionId, visitorToken: this.api.token, continued: this.continued });
        }
    }

    owner(owner) {
        this.who.textContent = owner === 'agent' ? 'A member of our team' : 'SHANGO, our assistant';
    }

    callState(state) {
        const said = {
            initiated: 'Calling you now…', ringing: 'Your phone is ringing…', answered: 'You are connected by phone.',
            completed: 'The call has ended.', busy: 'Your line was busy.', no_answer: 'We could not reach you by phone.',
            failed: 'The call could not be placed.', canceled: 'The call was canceled.',
        }[state];
        if (said) this.say(said);
    }

    async send() {
        const text = this.input.value.trim();
        if (!text) return;
        this.sendButton.disabled = true;
        try {
            if (!(await this.ensureConversation())) return;
            this.say('Sending…');
            const answered = await this.api.say(text);
            this.input.value = '';
            this.render(answered.message);
            if (answered.reply) this.render(answered.reply);
            this.owner(answered.owner);
            this.say(answered.reply || answered.owner !== 'agent' ? '' : 'A member of our team will answer here.');
        } catch (error) {
            this.say(explain(error), true);
        } finally {
            this.sendButton.disabled = false;
            this.input.focus();
        }
    }

    toggleCall(show) {
        this.callForm.hidden = !show;
        this.callButton.setAttribute('aria-expanded', String(show));
        (show ? this.phone : this.callButton).focus();
    }

    async callMe() {
        const phone = this.phone.value.replace(/[\s().-]/g, '');
        if (!/^\+[1-9]\d{6,14}$/.test(phone)) {
            this.say('Enter your number with its country code, for example +1 415 555 0123.', true);
            this.phone.focus();
            return;
        }
        try {
            if (!(await this.ensureConversation())) return;
            await this.api.callMe(phone);
            this.say('Calling you now…');
            this.toggleCall(false);
        } catch (error) {
            this.say(explain(error), true);
            this.phone.focus();
        }
    }

    // Asks for a hand-off token and opens the other platform's page with it in the fragment (never sent to a server).
    async handOff(url) {
        try {
            if (!(await this.ensureConversation())) return;
            const ticket = await this.api.handoff();
            location.assign(`${url}#handoff=${encodeURIComponent(ticket.token)}`);
        } catch (error) {
            if (error instanceof WidgetError && error.status === 409 && this.continued) {
                // This conversation came from the other platform: it is already there.
                location.assign(url);
                return;
            }
            this.say(explain(error), true);
        }
    }

    // --- rendering -------------------------------------------------------------------------------------------------

    clear() {
        this.messages.clear();
        this.log.replaceChildren();
    }

    render(message) {
        if (!message || !message.id || this.messages.has(message.id)) return;
        const text = message.translation && message.translation.text ? message.translation.text : message.text;
        const from = FROM[message.from] ?? '';
        const item = message.kind === 'event'
            ? h('li', { class: 'msg event', 'data-id': message.id, text })
            : h('li', { class: `msg ${message.from}`, 'data-id': message.id, 'data-from': message.from },
                from ? h('span', { class: 'from' }, from) : null, text);
        // Ids sort by creation: keep the timeline in order even when an event overtakes a response.
        let before = null;
        for (const [id, element] of this.messages) {
            if (id > message.id && (!before || id < before.dataset.id)) before = element;
        }
        this.log.insertBefore(item, before);
        this.messages.set(message.id, item);
        if (!before) this.log.scrollTop = this.log.scrollHeight;
    }

    say(text, error = false) {
        this.status.textContent = text;
        this.status.classList.toggle('error', Boolean(error && text));
        if (error && text) this.status.setAttribute('role', 'alert');
        else this.status.setAttribute('role', 'status');
    }
}
