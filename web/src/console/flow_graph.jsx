// An IVR flow's graph as SVG: nodes in columns by their distance from the start, edges as curves.

const nodeWidth = 150;
const nodeHeight = 40;
const columnGap = 70;
const rowGap = 18;

export function layout(graph) {
    const byId = new Map(graph.nodes.map((node) => [node.id, node]));
    const depth = new Map();
    const queue = [];
    if (byId.has(graph.start)) {
        depth.set(graph.start, 0);
        queue.push(graph.start);
    }
    while (queue.length) {
        const id = queue.shift();
        for (const next of byId.get(id).next || []) {
            if (byId.has(next) && !depth.has(next)) {
                depth.set(next, depth.get(id) + 1);
                queue.push(next);
            }
        }
    }
    const unreachable = Math.max(0, ...depth.values()) + 1;
    const columns = [];
    for (const node of graph.nodes) {
        const d = depth.has(node.id) ? depth.get(node.id) : unreachable;
        (columns[d] = columns[d] || []).push(node);
    }
    const positions = new Map();
    columns.forEach((column = [], x) => {
        column.forEach((node, y) => positions.set(node.id, { x: 10 + x * (nodeWidth + columnGap), y: 10 + y * (nodeHeight + rowGap), node, reachable: depth.has(node.id) }));
    });
    const width = 20 + columns.length * (nodeWidth + columnGap) - columnGap;
    const height = 20 + Math.max(1, ...columns.map((column = []) => column.length)) * (nodeHeight + rowGap) - rowGap;
    return { positions, width, height };
}

export function FlowGraph({ graph, name }) {
    if (!graph || !graph.nodes) return null;
    const { positions, width, height } = layout(graph);
    const edges = [];
    for (const { node, x, y } of positions.values()) {
        const seen = new Set();
        for (const next of node.next || []) {
            if (seen.has(next)) continue;  // a menu option and its fallback to the same node: one edge
            seen.add(next);
            const to = positions.get(next);
            if (!to) continue;
            const x1 = x + nodeWidth;
            const y1 = y + nodeHeight / 2;
            const x2 = to.x;
            const y2 = to.y + nodeHeight / 2;
            const back = x2 <= x;
            const path = back
                ? `M${x + nodeWidth / 2},${y + nodeHeight} C${x + nodeWidth / 2},${y + nodeHeight + 40} ${to.x + nodeWidth / 2},${to.y + nodeHeight + 40} ${to.x + nodeWidth / 2},${to.y + nodeHeight}`
                : `M${x1},${y1} C${x1 + columnGap / 2},${y1} ${x2 - columnGap / 2},${y2} ${x2},${y2}`;
            edges.push(<path key={`${node.id}->${next}`} d={path} class={back ? 'edge back' : 'edge'} marker-end="url(#arrow)" />);
        }
    }
    return (
        <div class="graph-scroll" tabIndex={0} aria-label={`Graph of flow ${name}; scroll to see all of it`}>
            <svg width={width} height={height + 50} viewBox={`0 0 ${width} ${height + 50}`} role="img" aria-labelledby="graph-title">
                <title id="graph-title">
                    Flow {name}: {graph.nodes.length} nodes starting at {graph.start}
                </title>
                <defs>
                    <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                        <path d="M0,0 L10,5 L0,10 z" class="arrowhead" />
                    </marker>
                </defs>
                {edges}
                {[...positions.values()].map(({ node, x, y, reachable }) => (
                    <g key={node.id} transform={`translate(${x},${y})`} class={`node node-${node.type}${node.id === graph.start ? ' start' : ''}${reachable ? '' : ' unreachable'}`}>
                        <rect width={nodeWidth} height={nodeHeight} rx="6" />
                        <text x="8" y="16" class="node-id">
                            {node.id.length > 20 ? node.id.slice(0, 19) + '…' : node.id}
                        </text>
                        <text x="8" y="32" class="node-type">
                            {node.type} · line {node.line}
                        </text>
                    </g>
                ))}
            </svg>
        </div>
    );
}
