import { useRef, useState } from 'preact/hooks';
import { ApiClient, ApiError, describeError } from '../shared/api.js';

// Checks the key against the API and learns its platform: keys are "cv_<platform>_…", and every session or flow
// the key can see names its platform, which wins when there is one.
export async function signIn(key) {
    const client = new ApiClient(key);
    const listed = await client.get('/api/voice/integration/sessions', { query: { limit: 1 } });
    let platform = listed && listed.sessions && listed.sessions[0] ? listed.sessions[0].platform : null;
    if (!platform) {
        const flows = await client.get('/api/ivr/flows').catch(() => null);
        platform = flows && flows.flows && flows.flows[0] ? flows.flows[0].platform : null;
    }
    if (!platform) {
        const prefix = /^cv_([a-z]+)_/.exec(key);
        platform = prefix ? prefix[1] : 'tetrix';
    }
    return { platform };
}

export function SignIn({ onSignedIn, notice }) {
    const [key, setKey] = useState('');
    const [busy, setBusy] = useState(false);
    const [error, setError] = useState(null);
    const input = useRef(null);

    const submit = async (event) => {
        event.preventDefault();
        const trimmed = key.trim();
        if (!trimmed) {
            setError({ what: 'Enter an API key.', todo: 'Keys look like cv_tetrix_… or cv_joromi_… (crossvoice keys create).' });
            input.current && input.current.focus();
            return;
        }
        setBusy(true);
        setError(null);
        try {
            const { platform } = await signIn(trimmed);
            onSignedIn(trimmed, platform);
        } catch (failure) {
            if (failure instanceof ApiError && failure.status === 401) {
                setError({
                    what: 'That API key was refused: it is unknown or revoked.',
                    todo: 'Check it (data/dev-api-keys.env, or crossvoice keys create --platform tetrix) and try again.',
                });
            } else {
                setError(describeError(failure));
            }
            setBusy(false);
            input.current && input.current.focus();
        }
    };

    return (
        <main class="signin" id="main">
            <form onSubmit={submit} aria-labelledby="signin-title" novalidate>
                <h1 id="signin-title">crossvoice console</h1>
                <p>Sign in with your platform's API key. It is kept in this browser tab only and sent in a header, never in a URL.</p>
                {notice && (
                    <p class="notice" role="status">
                        {notice}
                    </p>
                )}
                <div class="field">
                    <label for="api-key">API key</label>
                    <input
                        id="api-key"
                        ref={input}
                        type="password"
                        autocomplete="off"
                        spellcheck={false}
                        value={key}
                        onInput={(event) => setKey(event.currentTarget.value)}
                        aria-invalid={error ? 'true' : undefined}
                        aria-describedby={error ? 'signin-error' : undefined}
                        autofocus
                    />
                </div>
                {error && (
                    <div class="error" role="alert" id="signin-error">
                        <span class="error-what">{error.what}</span> <span class="error-todo">{error.todo}</span>
                    </div>
                )}
                <button type="submit" disabled={busy}>
                    {busy ? 'Signing in…' : 'Sign in'}
                </button>
            </form>
        </main>
    );
}
