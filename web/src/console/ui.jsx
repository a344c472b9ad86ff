// Small shared pieces: error boxes that say what to do, progress, labelled fields.
import { describeError } from '../shared/api.js';

export function ErrorBox({ error, title, onRetry }) {
    if (!error) return null;
    const { what, todo } = describeError(error);
    return (
        <div class="error" role="alert">
            <strong>{title || 'Something went wrong'}:</strong> <span class="error-what">{what}</span>{' '}
            <span class="error-todo">{todo}</span>
            {onRetry && (
                <button type="button" class="link" onClick={onRetry}>
                    Try again
                </button>
            )}
        </div>
    );
}

export function Busy({ label }) {
    return (
        <p class="busy" role="status" aria-live="polite">
            <span class="spinner" aria-hidden="true" /> {label || 'Loading…'}
        </p>
    );
}

export function Field({ label, id, children, hint }) {
    return (
        <div class="field">
            <label for={id}>{label}</label>
            {children}
            {hint && <small id={`${id}-hint`}>{hint}</small>}
        </div>
    );
}

export function Badge({ kind, children }) {
    return <span class={`badge badge-${String(kind || '').replace(/[^a-z_-]/gi, '')}`}>{children}</span>;
}

export function Empty({ children }) {
    return <p class="empty">{children}</p>;
}
