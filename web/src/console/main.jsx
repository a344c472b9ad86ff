// The staff console: one app for both platforms, branded by the signed-in key's platform.
import { render } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import './console.css';
import { ApiClient, ApiError } from '../shared/api.js';
import { platformName } from '../shared/format.js';
import { Link, match, navigate, usePath } from './router.jsx';
import { LiveProvider } from './live_store.jsx';
import { SignIn, signIn } from './signin.jsx';
import { LivePage } from './live.jsx';
import { SessionsPage } from './sessions.jsx';
import { SessionPage } from './session.jsx';
import { FlowsPage } from './flows.jsx';
import { KnowledgePage } from './knowledge.jsx';
import { HealthPage } from './health.jsx';
import { AuditPage } from './audit.jsx';

const storageKey = 'crossvoice.console.key';

const pages = [
    { path: '/live', label: 'Live', key: 'l' },
    { path: '/sessions', label: 'Sessions', key: 's' },
    { path: '/flows', label: 'Flows', key: 'f' },
    { path: '/knowledge', label: 'Knowledge', key: 'k' },
    { path: '/health', label: 'Health', key: 'h' },
    { path: '/audit', label: 'Audit', key: 'a' },
];

function Page({ path, ctx }) {
    let params;
    if (path === '/live' || path === '/') return <LivePage ctx={ctx} />;
    if (path === '/sessions') return <SessionsPage ctx={ctx} />;
    if ((params = match('/sessions/:id', path))) return <SessionPage ctx={ctx} id={params.id} />;
    if (path === '/flows') return <FlowsPage ctx={ctx} />;
    if ((params = match('/flows/:name', path))) return <FlowsPage ctx={ctx} name={params.name} />;
    if (path === '/knowledge') return <KnowledgePage ctx={ctx} />;
    if ((params = match('/knowledge/:doc', path))) return <KnowledgePage ctx={ctx} doc={params.doc} />;
    if (path === '/health') return <HealthPage ctx={ctx} />;
    if (path === '/audit') return <AuditPage ctx={ctx} />;
    return (
        <section>
            <h1 tabIndex={-1}>Page not found</h1>
            <p>
                There is no console page at <code>{path}</code>. <Link to="/live">Go to the live view</Link>.
            </p>
        </section>
    );
}

function Shell({ session, onSignOut }) {
    const path = usePath();
    const mainRef = useRef(null);
    const { client, platform } = session;
    const ctx = useMemo(() => ({ client, platform, key: session.key }), [client, platform, session.key]);

    // /console/ is the live view.
    useEffect(() => {
        if (path === '/') navigate('/live', { replace: true });
    }, [path]);

    // Moving to another page puts the keyboard focus on its heading, as a screen reader user expects.
    useEffect(() => {
        const heading = mainRef.current && mainRef.current.querySelector('h1');
        if (heading) heading.focus({ preventScroll: false });
        const label = pages.find((page) => path.startsWith(page.path));
        document.title = `${label ? label.label + ' · ' : ''}${platformName(platform)} console`;
    }, [path.split('/')[1]]);

    // Alt+letter jumps between pages (shown beside each link).
    useEffect(() => {
        const onKey = (event) => {
            if (!event.altKey || event.ctrlKey || event.metaKey) return;
            const page = pages.find((p) => p.key === event.key.toLowerCase());
            if (page) {
                event.preventDefault();
                navigate(page.path);
            }
        };
        addEventListener('keydown', onKey);
        return () => removeEventListener('keydown', onKey);
    }, []);

    useEffect(() => {
        document.documentElement.dataset.platform = platform;
    }, [platform]);

    return (
        <LiveProvider ctx={ctx}>
            <a class="skip" href="#main">
                Skip to content
            </a>
            <header class="topbar">
                <span class="brand">
                    <span class="brand-mark" aria-hidden="true">
                        {platform === 'joromi' ? 'J' : 'T'}
                    </span>
                    {platformName(platform)} <span class="brand-sub">console</span>
                </span>
                <nav aria-label="Console">
                    <ul>
                        {pages.map((page) => (
                            <li key={page.path}>
                                <Link
                                    to={page.path}
                                    aria-current={path === page.path || path.startsWith(page.path + '/') ? 'page' : undefined}
                                    aria-keyshortcuts={`Alt+${page.key.toUpperCase()}`}
                                    title={`${page.label} (Alt+${page.key.toUpperCase()})`}
                                >
                                    {page.label}
                                </Link>
                            </li>
                        ))}
                    </ul>
                </nav>
                <button type="button" class="secondary" onClick={onSignOut}>
                    Sign out
                </button>
            </header>
            <main id="main" ref={mainRef}>
                <Page path={path} ctx={ctx} />
            </main>
        </LiveProvider>
    );
}

function App() {
    const [session, setSession] = useState(null);
    const [restoring, setRestoring] = useState(() => Boolean(sessionStorage.getItem(storageKey)));
    const [notice, setNotice] = useState(null);

    const signOut = (message) => {
        sessionStorage.removeItem(storageKey);
        setSession(null);
        setNotice(message || null);
    };

    const accept = (key, platform) => {
        sessionStorage.setItem(storageKey, key);
        const client = new ApiClient(key, {
            onUnauthorized: () => signOut('Your API key was refused (revoked or expired). Sign in again with a valid key.'),
        });
        setNotice(null);
        setSession({ key, platform, client });
    };

    useEffect(() => {
        const stored = sessionStorage.getItem(storageKey);
        if (!stored) return;
        signIn(stored)
            .then(({ platform }) => accept(stored, platform))
            .catch((error) => {
                sessionStorage.removeItem(storageKey);
                setNotice(error instanceof ApiError && error.status === 401 ? 'Your saved key is no longer accepted. Sign in again.' : null);
            })
            .finally(() => setRestoring(false));
    }, []);

    if (restoring) return <p class="busy">Signing in…</p>;
    if (!session) return <SignIn onSignedIn={accept} notice={notice} />;
    return <Shell session={session} onSignOut={() => signOut()} />;
}

render(<App />, document.getElementById('app'));
