// The conversation's live events: Server-Sent Events read with fetch (an EventSource cannot send the visitor's
// Authorization header). Reconnects with backoff and resumes with Last-Event-ID; stops for good on 401/403/404.

export class EventStream {
    // onEvent({id, type, data}); onState('open'|'retrying'|'stopped').
    constructor(url, token, { onEvent, onState }) {
        this.url = url;
        this.token = token;
        this.onEvent = onEvent;
        this.onState = onState || (() => {});
        this.lastEventId = null;
        this.attempt = 0;
        this.controller = null;
        this.stopped = false;
        this.timer = null;
        this.connect();
    }

    stop() {
        this.stopped = true;
        clearTimeout(this.timer);
        if (this.controller) this.controller.abort();
    }

    async connect() {
        if (this.stopped) return;
        this.controller = new AbortController();
        const headers = { Authorization: `Visitor ${this.token}`, Accept: 'text/event-stream' };
        if (this.lastEventId !== null) headers['Last-Event-ID'] = String(this.lastEventId);
        try {
            const response = await fetch(this.url, { headers, signal: this.controller.signal, cache: 'no-store', credentials: 'omit' });
            if (response.status === 401 || response.status === 403 || response.status === 404) {
                this.stopped = true;
                this.onState('stopped', response.status);
                return;
            }
            if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
            this.attempt = 0;
            this.onState('open');
            await this.read(response.body.getReader());
        } catch (error) {
            if (this.stopped) return;
        }
        if (this.stopped) return;
        this.onState('retrying');
        const delay = Math.min(15000, 500 * 2 ** this.attempt++);
        this.timer = setTimeout(() => this.connect(), delay);
    }

    async read(reader) {
        const decoder = new TextDecoder();
        let buffer = '';
        for (;;) {
            const { value, done } = await reader.read();
            if (done) return;
            buffer += decoder.decode(value, { stream: true });
            let end;
            while ((end = buffer.indexOf('\n\n')) >= 0) {
                this.frame(buffer.slice(0, end));
                buffer = buffer.slice(end + 2);
            }
        }
    }

    frame(text) {
        let id = null;
        let type = 'message';
        let data = '';
        for (const line of text.split('\n')) {
            if (line.startsWith(':')) continue;  // a keep-alive comment
            const colon = line.indexOf(':');
            const field = colon < 0 ? line : line.slice(0, colon);
            const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
            if (field === 'id') id = value;
            else if (field === 'event') type = value;
            else if (field === 'data') data += (data ? '\n' : '') + value;
        }
        if (id !== null && /^\d+$/.test(id)) this.lastEventId = Number(id);
        if (!data) return;
        let parsed;
        try {
            parsed = JSON.parse(data);
        } catch {
            return;
        }
        if (type === 'ready' && this.lastEventId === null && typeof parsed.lastEventId === 'number') {
            this.lastEventId = parsed.lastEventId;
        }
        this.onEvent({ type, ...parsed });
    }
}
