// Runs every web/e2e/*.spec.mjs with node's built-in test runner, one file at a time (each starts its own
// crossvoice and Chromium; the machine is small). Exit status: nonzero when a test fails.
//
// Without Chromium or a built front end the run is skipped (exit 77, which ctest reports as skipped) on a developer's machine, and fails under
// CI=true: in CI a missing browser is a broken setup, never a silent skip.

import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromiumPath, webDir } from './harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const specs = readdirSync(here)
    .filter((name) => name.endsWith('.spec.mjs'))
    .filter((name) => only.length === 0 || only.some((wanted) => name.includes(wanted)))
    .sort()
    .map((name) => path.join(here, name));

const missing = [];
if (!existsSync(chromiumPath())) missing.push(`${chromiumPath()} (apt-get install chromium)`);
if (!existsSync(path.join(webDir(), 'console', 'index.html'))) missing.push(`${webDir()}/console/index.html (make web)`);
if (!process.env.CROSSVOICE_BINARY) missing.push('CROSSVOICE_BINARY (the crossvoice executable)');
if (missing.length > 0) {
    const ci = process.env.CI === 'true';
    console.error(`e2e: ${ci ? 'cannot run' : 'skipped'}: missing ${missing.join(', ')}`);
    process.exit(ci ? 1 : 77); // 77: ctest's SKIP_RETURN_CODE
}
if (specs.length === 0) {
    console.error('e2e: no *.spec.mjs files matched');
    process.exit(1);
}

const result = spawnSync(
    process.execPath,
    ['--test', '--test-concurrency=1', '--test-reporter=spec', ...specs],
    { stdio: 'inherit', env: process.env },
);
process.exit(result.status ?? 1);
