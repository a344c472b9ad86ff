// The visitor's conversation per platform in sessionStorage, so that a reload keeps it (and a new tab, or the end
// of the browser session, starts afresh). Storage may be unavailable (privacy modes): then nothing is kept.

const key = (platform) => `crossvoice.widget.${platform}`;

export function load(platform) {
    try {
        const saved = JSON.parse(sessionStorage.getItem(key(platform)) || 'null');
        if (!saved || typeof saved.sessionId !== 'string' || typeof saved.visitorToken !== 'string') return null;
        if (saved.expiresAt && Date.parse(saved.expiresAt) <= Date.now()) return null;
        return saved;
    } catch {
        return null;
    }
}

export function save(platform, conversation) {
    try {
        sessionStorage.setItem(key(platform), JSON.stringify(conversation));
    } catch {
        /* storage unavailable: the conversation lasts as long as the page */
    }
}

export function forget(platform) {
    try {
        sessionStorage.removeItem(key(platform));
    } catch {
        /* nothing kept */
    }
}

// Whether the panel was open, so that a reload shows it again.
export function setOpen(platform, open) {
    try {
        if (open) sessionStorage.setItem(`${key(platform)}.open`, '1');
        else sessionStorage.removeItem(`${key(platform)}.open`);
    } catch {
        /* not kept */
    }
}

export function wasOpen(platform) {
    try {
        return sessionStorage.getItem(`${key(platform)}.open`) === '1';
    } catch {
        return false;
    }
}
