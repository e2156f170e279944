import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunOptions } from '../../core/engine/runExperiment';
import { LONG_RUN_SECONDS } from '../../core/engine/runTimeEstimate';
import type { RunResult } from '../../core/result';
import type { ExperimentSpec } from '../../core/spec/schema';
import { smallResult } from './fixtures';
import * as stub from './vscodeStub';

// A run in the extension host that its first second of steps says will take longer than
// LONG_RUN_SECONDS asks, once, whether to keep it running (docs/reliability.md class 10); "Cancel
// Run" stops it, "Keep Running" (or no answer) lets it finish. The clock is Date.now, moved by the
// fake engine as a slow run would move it.
vi.mock('vscode', () => import('./vscodeStub'));
const { RunService, KEEP_RUNNING, CANCEL_RUN } = await import('../../extension/runs/runService');

let result: RunResult;
beforeAll(async () => {
  result = await smallResult();
});
afterEach(() => vi.restoreAllMocks());

/** A fake engine at `stepsPerSecond`: reports progress over `seconds` of (fake) time, then finishes unless aborted. */
function slowEngine(stepsPerSecond: number, seconds: number) {
  return {
    activeBackend: () => 'cpu',
    runSpec: async (spec: ExperimentSpec, options: RunOptions): Promise<RunResult> => {
      let t = 1_000_000;
      vi.spyOn(Date, 'now').mockImplementation(() => t);
      for (let s = 0; s <= seconds * 10; s++) {
        options.onProgress?.({ step: Math.round((s * stepsPerSecond) / 10), steps: spec.steps } as never);
        await new Promise((r) => setTimeout(r, 0)); // the answer to the question arrives
        if (options.signal?.aborted) return { ...result, stopped: { kind: 'cancelled', reason: 'cancelled by the user', step: s } };
        t += 100;
      }
      return result;
    },
  };
}

function service(engine: ReturnType<typeof slowEngine>) {
  const saved: RunResult[] = [];
  const log: string[] = [];
  const s = new RunService(
    { ready: async () => engine } as never,
    { settings: () => ({ backend: 'cpu' }), targetSources: () => ({}) } as never,
    { save: (r: RunResult) => (saved.push(r), { file: 'r.json' }), refresh: () => undefined } as never,
    { beginHostRun: () => undefined, progress: () => undefined, endHostRun: () => undefined } as never,
    { info: (t: string) => log.push(t), warn: (t: string) => log.push(`warn ${t}`) } as never,
  );
  return { s, saved, log };
}

const spec = (steps: number) => ({ ...result.spec, name: 'long one', steps });
const questions = () => stub.recorded.messages.filter((m) => m.level === 'warning' && /will take about/.test(m.text));

describe('a long run in the extension host', () => {
  it('asks once, with the measured speed; Cancel Run stops it and its trajectory is saved', async () => {
    stub.resetStub();
    stub.recorded.answers.push(CANCEL_RUN);
    // 100 steps/s over 10⁶ steps: about 2.8 hours.
    const { s, saved, log } = service(slowEngine(100, 3));
    await s.run([spec(1_000_000)], 'long one', '/tmp');
    expect(questions()).toHaveLength(1);
    expect(questions()[0].text).toMatch(/^Deep Factorization: long one will take about 2\.8 h more \(100 steps\/s measured on this machine, 1000000 steps\); keep it running\?$/);
    expect(questions()[0].buttons).toEqual([KEEP_RUNNING, CANCEL_RUN]);
    expect(saved).toHaveLength(1);
    expect(saved[0].stopped.kind).toBe('cancelled');
    expect(log.filter((l) => l.startsWith('warn ') && l.includes('will take about'))).toHaveLength(1);
  });

  it('Keep Running lets it finish; a short run asks nothing', async () => {
    stub.resetStub();
    stub.recorded.answers.push(KEEP_RUNNING);
    const long = service(slowEngine(100, 3));
    await long.s.run([spec(1_000_000)], 'long one', '/tmp');
    expect(questions()).toHaveLength(1);
    expect(long.saved[0].stopped.kind).toBe('completed');

    stub.resetStub();
    // 100 steps/s over 3000 steps: 30 s, under LONG_RUN_SECONDS.
    expect(3000 / 100).toBeLessThan(LONG_RUN_SECONDS);
    const short = service(slowEngine(100, 3));
    await short.s.run([spec(3000)], 'short one', '/tmp');
    expect(questions()).toEqual([]);
    expect(short.saved[0].stopped.kind).toBe('completed');
  });
});
