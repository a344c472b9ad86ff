// The widget's styles, adopted by its shadow root as a constructed stylesheet: no <style> element and no style=""
// attribute, so a page with a strict Content-Security-Policy (style-src 'self') shows it as designed, and the
// page's own CSS cannot reach inside.

const css = `
:host { all: initial; position: fixed; right: 20px; bottom: 20px; z-index: 2147483000;
  font: 15px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d2330;
  --accent: #0b5fff; --accent-text: #fff; --agent: #0f7b52; }
:host([data-platform="joromi"]) { --accent: #6b2fb3; }
* { box-sizing: border-box; }
button, input, textarea { font: inherit; }
button { cursor: pointer; border-radius: 8px; border: 1px solid transparent; padding: 8px 12px; }
button:focus-visible, input:focus-visible, textarea:focus-visible, a:focus-visible {
  outline: 3px solid #ffbf47; outline-offset: 2px; }
button[disabled] { opacity: .6; cursor: default; }
.launcher { background: var(--accent); color: var(--accent-text); border-radius: 999px; padding: 12px 18px;
  box-shadow: 0 4px 16px rgba(0,0,0,.25); font-weight: 600; }
.panel { position: absolute; right: 0; bottom: 60px; width: min(380px, calc(100vw - 40px));
  height: min(560px, calc(100vh - 100px)); display: flex; flex-direction: column; background: #fff;
  border-radius: 12px; box-shadow: 0 8px 32px rgba(0,0,0,.3); overflow: hidden; }
.panel[hidden] { display: none; }
header { display: flex; align-items: center; justify-content: space-between; gap: 8px; padding: 10px 12px;
  background: var(--accent); color: var(--accent-text); }
header h2 { margin: 0; font-size: 16px; }
header .who { font-size: 12px; opacity: .9; display: block; font-weight: 400; }
.close { background: transparent; color: inherit; border-color: rgba(255,255,255,.5); padding: 4px 10px; }
.log { flex: 1; overflow-y: auto; margin: 0; padding: 12px; list-style: none; display: flex; flex-direction: column;
  gap: 8px; background: #f5f6f8; }
.msg { max-width: 85%; padding: 8px 10px; border-radius: 10px; background: #fff; border: 1px solid #dde1e8;
  white-space: pre-wrap; overflow-wrap: anywhere; }
.msg .from { display: block; font-size: 12px; font-weight: 600; color: #4a5568; }
.msg.visitor { align-self: flex-end; background: var(--accent); color: var(--accent-text); border-color: var(--accent); }
.msg.visitor .from { color: inherit; opacity: .85; }
.msg.agent { border-left: 4px solid var(--agent); }
.msg.agent .from { color: var(--agent); }
.msg.event { align-self: center; background: transparent; border: 0; font-size: 13px; color: #4a5568;
  font-style: italic; text-align: center; }
.status { min-height: 1.4em; padding: 2px 12px; font-size: 13px; color: #4a5568; }
.status.error { color: #b3261e; }
.compose { display: flex; gap: 8px; padding: 8px 12px; border-top: 1px solid #dde1e8; }
.compose textarea { flex: 1; resize: none; min-height: 40px; max-height: 120px; padding: 8px; border-radius: 8px;
  border: 1px solid #9aa3b2; }
.send, .primary { background: var(--accent); color: var(--accent-text); }
.actions { display: flex; flex-wrap: wrap; gap: 8px; padding: 0 12px 10px; }
.secondary { background: #fff; color: var(--accent); border-color: var(--accent); }
.callme { display: flex; flex-wrap: wrap; gap: 8px; align-items: flex-end; padding: 8px 12px;
  border-top: 1px solid #dde1e8; }
.callme[hidden] { display: none; }
.callme label { display: flex; flex-direction: column; font-size: 13px; gap: 4px; flex: 1 1 160px; }
.callme input { padding: 8px; border-radius: 8px; border: 1px solid #9aa3b2; }
.sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
@media (prefers-reduced-motion: no-preference) { .panel { transition: opacity .15s; } }
`;

export function adoptStyles(root) {
    if ('adoptedStyleSheets' in root && typeof CSSStyleSheet === 'function' && 'replaceSync' in CSSStyleSheet.prototype) {
        const sheet = new CSSStyleSheet();
        sheet.replaceSync(css);
        root.adoptedStyleSheets = [sheet];
        return;
    }
    // Older browsers: a <style> in the shadow root (a strict page CSP may block it; the widget still works).
    const style = document.createElement('style');
    style.textContent = css;
    root.appendChild(style);
}
