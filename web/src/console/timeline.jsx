// One timeline entry: who spoke, in what language, with entities and redacted spans marked, a translation beside
// the original and SHANGO's sources under its answers.

const redactionMarker = /\[(?:CARD|SSN|PHONE|EMAIL|NUMBER|ACCOUNT|ORDER|DATE|ADDRESS|NAME|PII|REDACTED)[A-Z_]*\]/g;

// Splits `text` into plain runs and marked spans: the service's entities (character offsets) when the message
// carries them, and redaction markers such as [CARD] in any case.
export function markup(text, entities) {
    const spans = [];
    for (const entity of entities || []) {
        if (Number.isInteger(entity.start) && Number.isInteger(entity.end) && entity.end > entity.start && entity.end <= text.length) {
            spans.push({ start: entity.start, end: entity.end, kind: 'entity', label: entity.type });
        }
    }
    for (const found of text.matchAll(redactionMarker)) {
        spans.push({ start: found.index, end: found.index + found[0].length, kind: 'redacted', label: 'redacted ' + found[0].slice(1, -1).toLowerCase() });
    }
    spans.sort((a, b) => a.start - b.start);
    const out = [];
    let at = 0;
    for (const span of spans) {
        if (span.start < at) continue;  // overlapping: the first wins
        if (span.start > at) out.push(text.slice(at, span.start));
        out.push(
            <mark class={span.kind} title={span.label} data-kind={span.label}>
                {text.slice(span.start, span.end)}
                <span class="visually-hidden"> ({span.label})</span>
            </mark>,
        );
        at = span.end;
    }
    if (at < text.length) out.push(text.slice(at));
    return out;
}

const authorNames = { caller: 'Customer', customer: 'Customer', assistant: 'SHANGO', agent: 'Agent', system: 'System' };

export function TimelineEntry({ message, translation }) {
    const meta = message.metadata || {};
    const author = authorNames[message.author] || message.author;
    const speaker = meta.speaker !== undefined && meta.speaker !== null ? ` (speaker ${meta.speaker})` : '';
    const sources = Array.isArray(meta.sources) ? meta.sources : [];
    const translated = translation && (translation.text || translation.content || translation.translatedText);
    return (
        <li class={`entry entry-${message.author} entry-${message.type}`} data-message={message.id} data-type={message.type}>
            <div class="entry-head">
                <strong class="speaker">
                    {author}
                    {message.author === 'agent' && meta.agentId ? ` ${meta.agentId}` : ''}
                    {speaker}
                </strong>
                <span class="meta">
                    {message.channel} · {message.type}
                    {message.language && (
                        <>
                            {' · '}
                            <span class="lang" title="detected language">
                                {message.language}
                            </span>
                        </>
                    )}
                    {meta.persona && ` · ${meta.persona}`}
                    {' · '}
                    <time dateTime={message.createdAt}>{new Date(message.createdAt).toLocaleTimeString()}</time>
                    {message.direction === 'outbound' && message.status && ` · ${message.status}`}
                </span>
            </div>
            <div class={translated ? 'entry-body with-translation' : 'entry-body'}>
                <p class="original" lang={message.language || undefined}>
                    {markup(message.content || '', meta.entities)}
                </p>
                {translated && (
                    <p class="translation" lang={translation.language || translation.targetLanguage || undefined}>
                        <span class="visually-hidden">Translation: </span>
                        <span class="lang">{translation.language || translation.targetLanguage}</span> {translated}
                    </p>
                )}
            </div>
            {message.author === 'assistant' && (meta.intent || sources.length > 0) && (
                <div class="shango-meta">
                    {meta.intent && <span>intent {meta.intent}</span>}
                    {typeof meta.confidence === 'number' && <span> · confidence {Math.round(meta.confidence * 100)}%</span>}
                    {meta.handoff && meta.handoff !== 'none' && <span> · hand-off to {meta.handoff}</span>}
                    {sources.length > 0 && (
                        <details>
                            <summary>Sources ({sources.length})</summary>
                            <ul>
                                {sources.map((source) => (
                                    <li key={String(source)}>{typeof source === 'string' ? source : source.id || source.document || JSON.stringify(source)}</li>
                                ))}
                            </ul>
                        </details>
                    )}
                </div>
            )}
            {message.metadata && message.metadata.failureReason && <p class="error">Not delivered: {message.metadata.failureReason}</p>}
        </li>
    );
}

// Pairs each translation message (same transcript) with its original; the rest stand alone.
export function arrange(messages) {
    const translations = new Map();
    for (const message of messages) {
        if (message.type === 'translation' && message.metadata && message.metadata.transcriptId) {
            translations.set(message.metadata.transcriptId, { text: message.content, language: message.language });
        }
    }
    const out = [];
    for (const message of messages) {
        if (message.type === 'translation' && message.metadata && translations.has(message.metadata.transcriptId)) {
            const hasOriginal = messages.some((m) => m !== message && m.type !== 'translation' && m.metadata && m.metadata.transcriptId === message.metadata.transcriptId);
            if (hasOriginal) continue;
        }
        const paired = message.type !== 'translation' && message.metadata && message.metadata.transcriptId ? translations.get(message.metadata.transcriptId) : null;
        out.push({ message, translation: message.translation || paired });
    }
    return out;
}
