// Live events over the WebSocket at /api/events/ws. A browser cannot set headers there, so the key goes as the
// subprotocol "bearer.<key>" beside "crossvoice.v1", never in the URL. Reconnects with backoff and resumes from
// the last event id; a "reset" event (the resume point is gone) is passed on so the page reloads its lists.

export class LiveEvents {
    // onEvent(event) for each {id, type, platform, sessionId, at, data}; onStatus('connecting'|'open'|'closed'|
    // 'refused', detail) as the connection changes.
    constructor(key, { onEvent, onStatus, sessionId, base } = {}) {
        this.key = key;
        this.onEvent = onEvent || (() => {});
        this.onStatus = onStatus || (() => {});
        this.sessionId = sessionId;
        this.base = base || `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}`;
        this.lastEventId = null;
        this.attempt = 0;
        this.closed = false;
        this.socket = null;
        this.pingTimer = null;
        this.retryTimer = null;
        this.connect();
    }

    url() {
        const params = new URLSearchParams();
        if (this.lastEventId !== null) params.set('lastEventId', String(this.lastEventId));
        if (this.sessionId) params.set('sessionId', this.sessionId);
        const query = params.toString();
        return `${this.base}/api/events/ws${query ? '?' + query : ''}`;
    }

    connect() {
        if (this.closed) return;
        this.onStatus('connecting');
        let opened = false;
        const socket = new WebSocket(this.url(), ['crossvoice.v1', `bearer.${this.key}`]);
        this.socket = socket;
        socket.onopen = () => {
            opened = true;
            this.attempt = 0;
            this.onStatus('open');
            clearInterval(this.pingTimer);
            this.pingTimer = setInterval(() => {
                if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: 'ping' }));
            }, 25000);
        };
        socket.onmessage = (message) => {
            let event;
            try {
                event = JSON.parse(message.data);
            } catch {
                return;
            }
            if (!event || event.type === 'pong') return;
            if (typeof event.id === 'number') this.lastEventId = event.id;
            this.onEvent(event);
        };
        socket.onclose = (close) => {
            clearInterval(this.pingTimer);
            if (this.closed) return;
            if (!opened && this.attempt >= 2) {
                // Never opened twice running: most likely the key is refused (the handshake answers 401).
                this.onStatus('refused', 'The live event stream refused the connection (is the key still valid?)');
            } else {
                this.onStatus('closed', close.reason || `connection closed (${close.code})`);
            }
            const delay = Math.min(30000, 500 * 2 ** this.attempt) * (0.75 + Math.random() * 0.5);
            this.attempt += 1;
            this.retryTimer = setTimeout(() => this.connect(), delay);
        };
        socket.onerror = () => {
            /* onclose follows and reconnects */
        };
    }

    close() {
        this.closed = true;
        clearInterval(this.pingTimer);
        clearTimeout(this.retryTimer);
        if (this.socket) this.socket.close();
    }
}
