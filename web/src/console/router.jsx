// Path-based routing below /console/ (the service answers every such path with this app).
import { useEffect, useState } from 'preact/hooks';

export const base = '/console';

export function currentPath() {
    const path = location.pathname.startsWith(base) ? location.pathname.slice(base.length) : '/';
    return path === '' ? '/' : path;
}

const listeners = new Set();

export function navigate(path, { replace = false } = {}) {
    const url = base + path;
    if (replace) history.replaceState(null, '', url);
    else history.pushState(null, '', url);
    for (const listener of listeners) listener(currentPath());
}

export function usePath() {
    const [path, setPath] = useState(currentPath());
    useEffect(() => {
        const update = () => setPath(currentPath());
        listeners.add(update);
        addEventListener('popstate', update);
        return () => {
            listeners.delete(update);
            removeEventListener('popstate', update);
        };
    }, []);
    return path;
}

// Matches "/sessions/:id" against a path; resolves the params or null.
export function match(pattern, path) {
    const want = pattern.split('/');
    const got = path.split('/');
    if (want.length !== got.length) return null;
    const params = {};
    for (let i = 0; i < want.length; i++) {
        if (want[i].startsWith(':')) {
            if (!got[i]) return null;
            try {
                params[want[i].slice(1)] = decodeURIComponent(got[i]);
            } catch {
                return null;
            }
        } else if (want[i] !== got[i]) {
            return null;
        }
    }
    return params;
}

// An <a> that navigates inside the app (and still opens a new tab on ctrl/cmd-click).
export function Link({ to, children, ...rest }) {
    const onClick = (event) => {
        if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
        event.preventDefault();
        navigate(to);
    };
    return (
        <a href={base + to} onClick={onClick} {...rest}>
            {children}
        </a>
    );
}
