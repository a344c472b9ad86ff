// Builds the front end into build/web (what crossvoice serves from CROSSVOICE_WEB_DIR):
//   console/index.html + console/assets/<name>-<hash>.{js,css}   the staff console (content-hashed, immutable)
//   widget.js (+ widget.css)                                      the visitor widget (a fixed URL platforms embed)
//   demo/tetrix.html, demo/joromi.html                            the demo pages
// every text file precompressed beside itself as <file>.gz. Fails when the console's compressed JavaScript passes
// the budget (issue 9: under 300 KB on first load).
//
//   node build.mjs [--out DIR]

import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync, constants as zlib } from 'node:zlib';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..');
const outIndex = process.argv.indexOf('--out');
const finalDir = path.resolve(outIndex > 0 ? process.argv[outIndex + 1] : path.join(repoRoot, 'build', 'web'));
// Built beside the destination and moved into place at the end, so a running service never reads half a build.
const outDir = `${finalDir}.tmp-${process.pid}`;
const budgetBytes = 300 * 1024;

function firstExisting(base, extensions) {
    for (const extension of extensions) {
        const candidate = base + extension;
        if (existsSync(candidate)) return candidate;
    }
    return null;
}

const common = {
    bundle: true,
    minify: true,
    sourcemap: false,
    target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    legalComments: 'none',
    logLevel: 'warning',
    define: { 'process.env.NODE_ENV': '"production"' },
    loader: { '.svg': 'text' },
};

async function buildConsole() {
    const entry = firstExisting(path.join(here, 'src', 'console', 'main'), ['.tsx', '.ts', '.jsx', '.js']);
    if (!entry) throw new Error('web/src/console/main.(tsx|ts|jsx|js) is missing');
    const consoleDir = path.join(outDir, 'console');
    const result = await build({
        ...common,
        entryPoints: { main: entry },
        outdir: consoleDir,
        entryNames: 'assets/[name]-[hash]',
        assetNames: 'assets/[name]-[hash]',
        format: 'esm',
        splitting: false,
        metafile: true,
    });
    const outputs = Object.keys(result.metafile.outputs).map((file) => path.resolve(file));
    const script = outputs.find((file) => file.endsWith('.js'));
    const style = outputs.find((file) => file.endsWith('.css'));
    const relative = (file) => path.relative(consoleDir, file).split(path.sep).join('/');
    const template = await readFile(path.join(here, 'src', 'console', 'index.html'), 'utf8');
    // Absolute URLs: the app's own routes (/console/sessions/…) would otherwise change what a relative URL means.
    const html = template
        .replace('<!--styles-->', style ? `<link rel="stylesheet" href="/console/${relative(style)}">` : '')
        .replace('<!--scripts-->', `<script type="module" src="/console/${relative(script)}"></script>`);
    await writeFile(path.join(consoleDir, 'index.html'), html);
    return outputs.filter((file) => file.endsWith('.js'));
}

async function buildWidget() {
    const entry = firstExisting(path.join(here, 'src', 'widget', 'index'), ['.tsx', '.ts', '.jsx', '.js']);
    if (!entry) {
        console.log('widget: web/src/widget/index.(ts|js) does not exist yet; skipped');
        return;
    }
    await build({
        ...common,
        entryPoints: [entry],
        outfile: path.join(outDir, 'widget.js'),  // not hashed: the platforms' pages embed this URL
        format: 'iife',
    });
}

async function copyDemo() {
    const demoDir = path.join(here, 'demo');
    if (!existsSync(demoDir)) {
        console.log('demo: web/demo does not exist yet; skipped');
        return;
    }
    await cp(demoDir, path.join(outDir, 'demo'), { recursive: true, filter: (file) => !path.basename(file).startsWith('.') });
}

async function* walk(dir) {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) yield* walk(full);
        else if (entry.isFile()) yield full;
    }
}

const compressible = /\.(html|js|mjs|css|svg|json|txt|map|xml|webmanifest)$/;

async function precompress() {
    const sizes = new Map();
    for await (const file of walk(outDir)) {
        if (!compressible.test(file)) continue;
        const content = await readFile(file);
        const gz = gzipSync(content, { level: zlib.Z_BEST_COMPRESSION });
        await writeFile(file + '.gz', gz);
        sizes.set(file, { raw: content.length, gz: gz.length });
    }
    return sizes;
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

const started = Date.now();
await rm(outDir, { recursive: true, force: true });
await mkdir(outDir, { recursive: true });
let consoleScripts, sizes;
try {
    consoleScripts = await buildConsole();
    await buildWidget();
    await copyDemo();
    sizes = await precompress();
} catch (error) {
    await rm(outDir, { recursive: true, force: true });
    console.error(`build failed: ${error.message}`);
    process.exit(1);
}

let consoleGz = 0;
for (const file of consoleScripts) consoleGz += sizes.get(file)?.gz ?? 0;
for (const [file, size] of [...sizes].sort()) {
    console.log(`  ${path.relative(outDir, file).padEnd(44)} ${kb(size.raw).padStart(10)} ${kb(size.gz).padStart(10)} gz`);
}
if (consoleGz > budgetBytes) {
    await rm(outDir, { recursive: true, force: true });
    console.error(`build failed: the console's compressed JavaScript (${kb(consoleGz)}) is over the ${kb(budgetBytes)} budget`);
    process.exit(1);
}
await rm(finalDir, { recursive: true, force: true });
await rename(outDir, finalDir);
console.log(`console JavaScript: ${kb(consoleGz)} compressed (budget ${kb(budgetBytes)}); built ${finalDir} in ${Date.now() - started} ms`);
