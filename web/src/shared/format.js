// Formatting helpers shared by the console and the widget.

export function duration(ms) {
    if (!(ms >= 0)) return '—';
    const total = Math.floor(ms / 1000);
    const h = Math.floor(total / 3600);
    const m = Math.floor((total % 3600) / 60);
    const s = total % 60;
    const mm = String(m).padStart(h ? 2 : 1, '0');
    return `${h ? h + ':' : ''}${mm}:${String(s).padStart(2, '0')}`;
}

export function time(iso) {
    if (!iso) return '—';
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return iso;
    return date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export function dateTime(iso) {
    if (!iso) return '—';
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return iso;
    return date.toLocaleString([], { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export function platformName(platform) {
    return platform === 'joromi' ? 'JoRoMi' : platform === 'tetrix' ? 'TETRIX' : platform || '';
}
