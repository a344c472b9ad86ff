// The widget's visitor API client. The visitor token travels only in the Authorization header ("Visitor <token>"),
// never in a URL; hand-off tokens go in a URL fragment, which browsers never send to a server.

export class WidgetError extends Error {
    constructor(status, body) {
        const message = (body && body.error) || (status ? `The service answered ${status}.` : 'The service could not be reached.');
        super(message);
        this.name = 'WidgetError';
        this.status = status;
        this.code = body && body.code;
        this.details = (body && body.details) || {};
        this.retryAfter = 0;
    }
}

// What to tell the visitor about a failure, in one sentence.
export function explain(error) {
    if (!(error instanceof WidgetError) || !error.status) return 'We could not reach the chat service. Check your connection and try again.';
    if (error.status === 429) return `${error.message.replace(/\.?$/, '.')} Please wait a moment.`;
    if (error.status === 400) return error.message.replace(/\.?$/, '.');
    if (error.status >= 500) return 'The chat service is having trouble right now. Please try again shortly.';
    return error.message.replace(/\.?$/, '.');
}

export class VisitorApi {
    constructor(base, platform) {
        this.base = base;
        this.platform = platform;
        this.token = null;
        this.sessionId = null;
    }

    use(sessionId, token) {
        this.sessionId = sessionId;
        this.token = token;
    }

    async request(method, path, body) {
        const headers = {};
        if (this.token) headers.Authorization = `Visitor ${this.token}`;
        if (body !== undefined) headers['Content-Type'] = 'application/json';
        let response;
        try {
            response = await fetch(this.base + path, {
                method,
                headers,
                body: body === undefined ? undefined : JSON.stringify(body),
                credentials: 'omit',
                cache: 'no-store',
            });
        } catch {
            throw new WidgetError(0, null);
        }
        let parsed = null;
        try {
            parsed = await response.json();
        } catch {
            parsed = null;
        }
        if (!response.ok) {
            const error = new WidgetError(response.status, parsed);
            error.retryAfter = Number(response.headers.get('Retry-After')) || 0;
            throw error;
        }
        return parsed;
    }

    conversationPath(suffix) {
        return `/api/widget/conversations/${encodeURIComponent(this.sessionId)}/${suffix}`;
    }

    start({ handoffToken, language } = {}) {
        const body = {};
        if (handoffToken) body.handoffToken = handoffToken;
        if (language) body.language = language;
        return this.request('POST', `/api/widget/${encodeURIComponent(this.platform)}/conversations`, body);
    }

    messages() {
        return this.request('GET', this.conversationPath('messages'));
    }

    say(text) {
        return this.request('POST', this.conversationPath('messages'), { text });
    }

    callMe(phone) {
        return this.request('POST', this.conversationPath('callback'), { phone });
    }

    handoff() {
        return this.request('POST', this.conversationPath('handoff'));
    }
}
