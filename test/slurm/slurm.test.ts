import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../cli/dfl';

// `dfl sweep --slurm` against a real single-node Slurm: the one CI starts (.ci/run exports its
// SLURM_CONF), or one started here by test/slurm/start-slurm.sh and stopped by its process ids.
const has = (command: string) => spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
const clusterUp = () => spawnSync('sinfo', ['-h', '-o', '%T'], { encoding: 'utf8' }).stdout?.split('\n').includes('idle') ?? false;
const canStart = has('slurmctld') && has('slurmd') && has('munged') && process.getuid?.() === 0;
const available = has('sbatch') && (clusterUp() || canStart);
if (!available) console.warn('test/slurm: skipped, Slurm is not available (apt-get install -y slurm-wlm munge, as root)');

const state = mkdtempSync(path.join(tmpdir(), 'dfl-slurm-'));
let started = false;

async function waitForJob(jobId: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const q = spawnSync('squeue', ['-h', '-j', jobId], { encoding: 'utf8' });
    if (q.status === 0 && q.stdout.trim() === '') return;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`Slurm job ${jobId} did not finish in 120 s`);
}

describe.skipIf(!available)('dfl sweep --slurm on a local Slurm', () => {
  let out = '';
  beforeAll(() => {
    if (!clusterUp()) {
      const printed = execFileSync('bash', ['test/slurm/start-slurm.sh', state], { encoding: 'utf8' });
      process.env.SLURM_CONF = /SLURM_CONF=(\S+)/.exec(printed)![1];
      started = true;
    }
  });
  afterAll(() => {
    if (started) execFileSync('bash', ['test/slurm/stop-slurm.sh', state]);
    rmSync(state, { recursive: true, force: true });
  });

  const capture = () => {
    out = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((out += String(chunk)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  };

  it('runs a sweep as an array job, lists and resubmits a failed shard, and collects the summary of a local run', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dfl-slurm-sweep-'));
    const sweep = path.join(dir, 'grid.dfl-sweep.json');
    writeFileSync(
      sweep,
      JSON.stringify({
        name: 'slurm grid',
        base: { n: 10, depth: 3, target: { kind: 'spectrum', eigenvalues: [4, 2, 1] }, init: { kind: 'identity', alpha: 0.1 }, stepSize: 0.01, steps: 800, log: { points: 40 } },
        axes: { depth: [2, 3], 'init.alpha': [0.05, 0.1, 0.2], 'init.kind': ['identity'], 'target.seed': [1, 2] },
      }),
    );
    const local = path.join(dir, 'local');
    const shared = path.join(dir, 'shared');
    try {
      capture();
      expect(await main(['sweep', sweep, '--out', local, '--jobs', '1', '--quiet'])).toBe(0);
      expect(await main(['sweep', sweep, '--out', shared, '--slurm', '--partition', 'debug', '--array-size', '3'])).toBe(0);
      const jobId = /submitted Slurm job (\d+)/.exec(out)![1];
      expect(readFileSync(path.join(shared, 'sweep', 'job.sbatch'), 'utf8')).toMatch(/#SBATCH --array=0-2[\s\S]*--shard "\$SLURM_ARRAY_TASK_ID\/3"/);
      await waitForJob(jobId);
      expect(await main(['sweep', '--collect', shared])).toBe(0);
      expect(readFileSync(path.join(shared, 'summary.json'), 'utf8')).toBe(readFileSync(path.join(local, 'summary.json'), 'utf8'));
      expect(readFileSync(path.join(shared, 'summary.csv'), 'utf8')).toBe(readFileSync(path.join(local, 'summary.csv'), 'utf8'));

      // A shard whose results are lost (a failed task) is listed, resubmitted, and collected.
      const summary = JSON.parse(readFileSync(path.join(shared, 'summary.json'), 'utf8')) as { rows: { run: number; file: string }[] };
      for (const row of summary.rows.filter((_, i) => i % 3 === 1)) rmSync(path.join(shared, row.file), { force: true });
      rmSync(path.join(shared, 'summary.json'));
      for (const f of readdirSync(path.join(shared, 'sweep'))) if (f.startsWith('shard-1-')) rmSync(path.join(shared, 'sweep', f));
      capture();
      expect(await main(['sweep', '--collect', shared])).toBe(1);
      expect(out).toMatch(/shard 1\/3: 4 of 4 runs missing \(task failed/);
      expect(out).toMatch(/resubmit with: dfl sweep --collect .* --resubmit/);
      expect(await main(['sweep', '--collect', shared, '--resubmit'])).toBe(1);
      const again = /resubmitted shards 1 as Slurm job (\d+)/.exec(out)![1];
      await waitForJob(again);
      // The same command rerun collects.
      expect(await main(['sweep', sweep, '--out', shared, '--slurm', '--array-size', '3'])).toBe(0);
      expect(readFileSync(path.join(shared, 'summary.json'), 'utf8')).toBe(readFileSync(path.join(local, 'summary.json'), 'utf8'));
    } finally {
      vi.restoreAllMocks();
    }
  });
});
