// Builds the optional native accelerator (native/build/dfl_native.node) with the system C
// compiler against Node's own headers. Never fails: where it cannot compile (no compiler, no
// headers, not Linux/macOS) it says why and exits 0, and the engine runs on tfjs alone.
// Set DFL_NATIVE=0 to skip the build.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.join(here, 'build', 'dfl_native.node');
const say = (m) => console.error(`[dfl native] ${m}`);

function main() {
  if (process.env.DFL_NATIVE === '0') return say('skipped (DFL_NATIVE=0)');
  if (process.platform !== 'linux' && process.platform !== 'darwin') return say(`skipped: no build recipe for ${process.platform}; the engine uses tfjs`);
  const candidates = [
    process.env.DFL_NODE_INCLUDE,
    path.join(path.dirname(process.execPath), '..', 'include', 'node'),
    process.config?.variables?.node_prefix && path.join(process.config.variables.node_prefix, 'include', 'node'),
    '/usr/include/node',
    '/usr/local/include/node',
  ].filter(Boolean);
  const include = candidates.find((d) => existsSync(path.join(d, 'node_api.h')));
  if (!include) return say(`skipped: Node's headers (node_api.h) not found in ${candidates.join(', ')}; the engine uses tfjs`);
  const cc = process.env.CC || 'cc';
  mkdirSync(path.dirname(out), { recursive: true });
  const tmp = `${out}.tmp`;
  const args = ['-O3', '-std=gnu99', '-fPIC', '-shared', '-fvisibility=hidden', `-I${include}`, path.join(here, 'dfl_native.c'), '-o', tmp];
  if (process.platform === 'darwin') args.push('-undefined', 'dynamic_lookup');
  else args.push('-ldl', '-lpthread');
  if (process.env.DFL_NATIVE_MARCH !== '0') args.unshift('-march=native');
  try {
    execFileSync(cc, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    renameSync(tmp, out);
  } catch (e) {
    rmSync(tmp, { force: true });
    rmSync(out, { force: true }); // never leave a stale module from an earlier build
    return say(`skipped: ${cc} failed (${String(e.stderr ?? e.message).trim().split('\n').slice(-3).join(' | ')}); the engine uses tfjs`);
  }
  try {
    const m = { exports: {} };
    process.dlopen(m, out);
    const info = m.exports.info();
    say(`built ${path.relative(process.cwd(), out)}: BLAS ${info.library} (${info.config}), LAPACK ${info.lapack ? 'yes' : 'no'}`);
  } catch (e) {
    rmSync(out, { force: true });
    say(`built but could not load (${e.message}); the engine uses tfjs`);
  }
}

try {
  main();
} catch (e) {
  say(`skipped: ${e.message}`);
}
