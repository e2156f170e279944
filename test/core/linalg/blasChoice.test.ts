import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runExperiment } from '../../../core/engine/runExperiment';
import { useNodeBackend } from '../../../node/platform';
import { runResultSchema } from '../../../core/result';
import { loadNative, nativeModulePath } from '../../../native/loader';
import { summarize } from '../../../cli/format';
import { spectrumSpec } from '../../helpers/specs';

// Which BLAS runs is never silent: OpenBLAS, else the builtin kernel (never Debian's reference
// libblas.so.3, 4-5× slower than the builtin kernel), and the result and the summary say which.

const native = loadNative();
const info = (env: NodeJS.ProcessEnv, wrap: (script: string[]) => string[] = (s) => s) => {
  const script = `const m = { exports: {} }; process.dlopen(m, ${JSON.stringify(nativeModulePath())}); process.stdout.write(JSON.stringify(m.exports.info()));`;
  const [cmd, ...args] = wrap([process.execPath, '-e', script]);
  const r = spawnSync(cmd, args, { env: { ...process.env, ...env }, encoding: 'utf8' });
  return { info: r.status === 0 ? JSON.parse(r.stdout) : undefined, stderr: r.stderr };
};

describe.skipIf(!native)('the BLAS the native module chooses', () => {
  it('without OpenBLAS it takes the builtin kernel, not another libblas.so.3 on the path', () => {
    // OpenBLAS hidden in a private mount namespace (root), and a stand-in for Debian's reference
    // libblas.so.3 (it exports cblas_sgemm and cblas_sgemv) first on the library path.
    const folder = mkdtempSync(path.join(tmpdir(), 'dfl-blas-'));
    const source = path.join(folder, 'refblas.c');
    writeFileSync(source, 'void cblas_sgemm(void) {}\nvoid cblas_sgemv(void) {}\n');
    const built = spawnSync('cc', ['-shared', '-fPIC', source, '-o', path.join(folder, 'libblas.so.3')], { encoding: 'utf8' });
    const library = spawnSync('sh', ['-c', 'readlink -f "$(ldconfig -p | awk \'/libopenblas\\.so\\.0 .*x86-64/ {print $NF; exit}\')"'], { encoding: 'utf8' }).stdout.trim();
    const hide = (script: string[]) => ['unshare', '--mount', 'sh', '-c', `mount --bind /dev/null "${library}" && exec "$@"`, 'sh', ...script];
    const hidden = built.status === 0 && library ? info({ LD_LIBRARY_PATH: folder }, hide) : { info: undefined, stderr: built.stderr || 'no OpenBLAS in ldconfig' };
    if (!hidden.info) {
      console.warn(`OpenBLAS-absent case skipped: ${hidden.stderr.trim().split('\n')[0]}`);
      return;
    }
    expect(hidden.info).toMatchObject({ library: 'builtin', blas: false });
    // The stand-in is what a plain dlopen finds: only DFL_BLAS_LIB may choose it.
    expect(info({ LD_LIBRARY_PATH: folder, DFL_BLAS_LIB: 'libblas.so.3' }, hide).info).toMatchObject({ library: 'libblas.so.3', blas: true });
  });

  it('a library named in DFL_BLAS_LIB is used as asked, and named', () => {
    const asked = info({ DFL_BLAS_LIB: 'libblas.so.3' }).info;
    if (asked?.blas) expect(asked.library).toBe('libblas.so.3');
    else expect(asked).toMatchObject({ library: 'builtin' });
  });

  // OpenBLAS 0.3.21 takes the Intel server models it does not know (Sapphire, Emerald and Granite
  // Rapids: family 6, models 143, 207, 173, 174) for a Prescott (SSE3 kernels on AVX-512); the
  // native module loads it on the kernels of the CPU's features there.
  const cpuinfo = (() => {
    try {
      return readFileSync('/proc/cpuinfo', 'utf8');
    } catch {
      return '';
    }
  })();
  const unknownToOpenBlas =
    process.arch === 'x64' && /vendor_id\s*:\s*GenuineIntel/.test(cpuinfo) && /^cpu family\s*:\s*6$/m.test(cpuinfo) && /^model\s*:\s*(143|207|173|174)$/m.test(cpuinfo) && /\bavx2\b/.test(cpuinfo);
  it.skipIf(!unknownToOpenBlas)('on the Intel models OpenBLAS 0.3.21 does not know, it runs no Prescott kernels unless OPENBLAS_CORETYPE asks for them', () => {
    const chosen = info({ OPENBLAS_CORETYPE: undefined });
    if (!chosen.info?.config?.startsWith('OpenBLAS')) return; // another BLAS: nothing to check
    expect(chosen.info.config).not.toMatch(/\bPrescott\b/i);
    expect(info({ OPENBLAS_CORETYPE: 'Prescott' }).info.config).toMatch(/\bPrescott\b/);
    expect(info({ OPENBLAS_CORETYPE: 'Haswell' }).info.config).toMatch(/\bHaswell\b/);
  });

  it('result.engine records the BLAS and the SVD routine; the summary line says them', async () => {
    const accelerators = await useNodeBackend('native');
    const result = await runExperiment(spectrumSpec({ n: 12, engine: 'matrix', steps: 50 }), { accelerators });
    expect(result.engine.blas).toEqual(native!.info().blas ? expect.stringMatching(/\(lib\w+.*\), \d+ threads?/) : expect.stringContaining('builtin C kernel'));
    expect(result.engine.lapack).toMatch(native!.info().lapack ? /^LAPACK dgesdd/ : /TypeScript/);
    expect(runResultSchema.parse(JSON.parse(JSON.stringify(result))).engine.blas).toBe(result.engine.blas);
    expect(summarize(result).split('\n')[0]).toContain(`BLAS ${result.engine.blas}; SVD ${result.engine.lapack}`);
    const wasm = await runExperiment(spectrumSpec({ n: 12, engine: 'matrix', steps: 50 }), { accelerators: await useNodeBackend('wasm') });
    expect(wasm.engine.blas).toBe('none (tfjs wasm)');
  });
});
