// crossvoice's embeddable visitor widget. A platform's page includes
//   <script src="https://crossvoice.example/widget.js" data-platform="tetrix" defer></script>
// Optional: data-handoff-url (the other platform's page: "Continue on …" opens it with #handoff=<token>),
// data-title (the launcher's text), data-language (BCP 47), data-open (start open). Links on the page marked
// data-crossvoice-handoff continue the conversation at their href the same way.
import { Widget } from './widget.js';
import * as store from './store.js';

function configure(script) {
    const platform = (script.dataset.platform || '').toLowerCase();
    if (!platform) throw new Error('crossvoice widget: data-platform is required (tetrix or joromi)');
    return {
        base: new URL(script.src, location.href).origin,
        platform,
        handoffUrl: script.dataset.handoffUrl || null,
        title: script.dataset.title || null,
        language: script.dataset.language || null,
        open: script.dataset.open === 'true',
    };
}

// A hand-off token in the fragment (#handoff=…) is read once and removed from the address bar and history.
function takeHandoffToken() {
    const match = /(?:^#|&)handoff=([^&]+)/.exec(location.hash);
    if (!match) return null;
    history.replaceState(null, '', location.pathname + location.search);
    try {
        return decodeURIComponent(match[1]);
    } catch {
        return null;
    }
}

async function boot(script) {
    const config = configure(script);
    const widget = new Widget(config);
    window.crossvoiceWidget = widget;
    for (const link of document.querySelectorAll('a[data-crossvoice-handoff]')) {
        link.addEventListener('click', (event) => {
            event.preventDefault();
            widget.handOff(link.getAttribute('href'));
        });
    }
    const handoffToken = takeHandoffToken();
    if (handoffToken) {
        store.forget(config.platform);
        const claimed = widget.ensureConversation({ handoffToken });
        widget.open();  // joins the claim under way
        await claimed;
        return;
    }
    const saved = store.load(config.platform);
    const restored = saved ? await widget.restore(saved) : false;
    // A reload keeps the conversation, and the panel as it was.
    if (config.open || (restored && store.wasOpen(config.platform))) widget.open();
}

const script = document.currentScript;
if (script) {
    const start = () => boot(script).catch((error) => console.error(error));
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start, { once: true });
    else start();
}
