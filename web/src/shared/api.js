// A small client for crossvoice's HTTP API, shared by the console and the widget (read-only for the widget).
// The key travels only in the Authorization header, never in a URL.

export class ApiError extends Error {
    constructor(status, body, fallback) {
        const message = (body && typeof body === 'object' && body.error) || fallback || `HTTP ${status}`;
        super(message);
        this.name = 'ApiError';
        this.status = status;
        this.code = body && typeof body === 'object' ? body.code : undefined;
        this.details = (body && typeof body === 'object' && body.details) || {};
        this.body = body;
    }
}

// What to tell a person about a failed request: what went wrong, and what to do about it.
export function describeError(error) {
    if (!(error instanceof ApiError)) {
        const offline = error && (error.name === 'TypeError' || /fetch|network/i.test(String(error.message)));
        return {
            what: offline ? 'The service could not be reached.' : String((error && error.message) || error),
            todo: offline ? 'Check that crossvoice is running and your network is up, then try again.' : 'Try again; if it keeps happening, tell the service operator.',
        };
    }
    const what = error.message.endsWith('.') ? error.message : error.message + '.';
    const field = error.details && error.details.field ? ` (field: ${error.details.field})` : '';
    switch (error.status) {
        case 400:
        case 422:
            return { what: what + field, todo: 'Correct the input and send it again.' };
        case 401:
            return { what, todo: 'Sign in again with a valid API key.' };
        case 403:
            return { what, todo: 'This key may not do that; use a key of the right platform.' };
        case 404:
            return { what, todo: 'It may have been removed, or belong to the other platform. Reload the list.' };
        case 409:
            return { what, todo: 'Reload to see its current state, then try again.' };
        case 413:
            return { what, todo: 'Send something smaller.' };
        case 429: {
            const retry = error.retryAfter ? ` in ${error.retryAfter} s` : ' in a moment';
            return { what, todo: `Too many requests: try again${retry}.` };
        }
        case 502:
        case 504:
            return { what, todo: 'A vendor failed or did not answer in time; try again shortly.' };
        case 503:
            return { what, todo: 'A dependency is unavailable; see the Health page.' };
        default:
            return { what, todo: error.status >= 500 ? 'The service failed; try again, and check its log if it persists.' : 'Check the request.' };
    }
}

export class ApiClient {
    constructor(key, { base = '', onUnauthorized } = {}) {
        this.key = key;
        this.base = base;
        this.onUnauthorized = onUnauthorized;
    }

    headers(extra = {}) {
        return { Authorization: `Bearer ${this.key}`, ...extra };
    }

    // JSON in (an object body, or a string with its contentType), JSON out. Throws ApiError for non-2xx.
    async request(method, path, { body, query, contentType, signal } = {}) {
        let url = this.base + path;
        if (query) {
            const params = new URLSearchParams();
            for (const [name, value] of Object.entries(query)) {
                if (value !== undefined && value !== null && value !== '') params.set(name, String(value));
            }
            const text = params.toString();
            if (text) url += (url.includes('?') ? '&' : '?') + text;
        }
        const init = { method, headers: this.headers(), signal };
        if (body !== undefined) {
            if (typeof body === 'string') {
                init.body = body;
                init.headers['Content-Type'] = contentType || 'text/plain';
            } else {
                init.body = JSON.stringify(body);
                init.headers['Content-Type'] = 'application/json';
            }
        }
        const response = await fetch(url, init);
        const text = await response.text();
        let parsed = null;
        if (text) {
            try {
                parsed = JSON.parse(text);
            } catch {
                parsed = text;
            }
        }
        if (!response.ok) {
            const error = new ApiError(response.status, parsed, typeof parsed === 'string' ? parsed.slice(0, 200) : undefined);
            error.retryAfter = response.headers.get('Retry-After');
            if (response.status === 401 && this.onUnauthorized) this.onUnauthorized(error);
            throw error;
        }
        return parsed;
    }

    get(path, options) {
        return this.request('GET', path, options);
    }
    post(path, body, options = {}) {
        return this.request('POST', path, { ...options, body });
    }
    put(path, body, options = {}) {
        return this.request('PUT', path, { ...options, body });
    }
    delete(path, options) {
        return this.request('DELETE', path, options);
    }

    // A binary resource (a recording) fetched with the key, as a Blob.
    async blob(path) {
        const response = await fetch(this.base + path, { headers: this.headers() });
        if (!response.ok) {
            let body = null;
            try {
                body = await response.json();
            } catch {
                /* not JSON */
            }
            throw new ApiError(response.status, body);
        }
        return response.blob();
    }
}

// The path part of a URL when it points at this origin (a sandbox recording), else null.
export function sameOriginPath(url) {
    try {
        const parsed = new URL(url, window.location.href);
        if (parsed.origin !== window.location.origin) return null;
        return parsed.pathname + parsed.search;
    } catch {
        return null;
    }
}
