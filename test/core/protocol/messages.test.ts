import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { InputError } from '../../../core/errors';
import { parseHostMessage, parseWebviewMessage, PROTOCOL_VERSION } from '../../../core/protocol/messages';
import type { RunResult } from '../../../core/result';
import { parseSpec } from '../../../core/spec/parseSpec';
import { HangGuard, PARSER_HANG_BOUND_MS, fuzzParameters, stopWatchdog } from '../../fuzzBudget';
import { expectReadOrRefused } from '../../helpers/refusal';

const spec = { n: 4, depth: 2, target: { kind: 'spectrum', eigenvalues: [3, 1] }, init: { kind: 'identity', alpha: 0.1 }, stepSize: 0.01, steps: 10 };

function result(): RunResult {
  return {
    spec: parseSpec(spec),
    engine: { path: 'spectral', backend: 'float64', precision: 'float64' },
    target: { description: 'spectrum [3, 1]', singularValues: [3, 1, 0, 0] },
    steps: [0, 10],
    singularValues: [
      [0.01, 0.01, 0.01, 0.01],
      [0.5, 0.1, 0.009, 0.009],
    ],
    singularValuesKept: 4,
    effectiveRank: [4, 1.9],
    loss: [5, 4],
    distanceToBestRank: [[1], [0.5]],
    targetEffectiveRanks: [1, 1.75],
    predicted: { plateaus: [{ L: 1, start: 2, end: 5, epsilon: 0.1, hypothesesMet: true }] },
    measured: { plateaus: [] },
    stopped: { kind: 'completed', reason: 'all steps done', step: 10 },
    elapsedSeconds: 0.01,
  };
}

function error(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    const message = (e as Error).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error('expected an InputError');
}

describe('host → webview messages', () => {
  it('parses a run with defaults filled in and an optional host matrix', () => {
    const m = parseHostMessage({ type: 'run', spec, backend: 'cpu' });
    expect(m.type).toBe('run');
    if (m.type !== 'run') return;
    expect(m.spec.log).toEqual({ points: 400, scale: 'log' });
    expect(m.backend).toBe('cpu');
    const withTarget = parseHostMessage({ type: 'run', spec: { ...spec, n: 2, target: { kind: 'file', path: 'a.csv' } }, target: [[1, 0], [0, 1]] });
    expect(withTarget.type === 'run' && withTarget.target).toEqual([[1, 0], [0, 1]]);
    expect(error(() => parseHostMessage({ type: 'run', spec: { ...spec, n: 3, target: { kind: 'file', path: 'a.csv' } }, target: [[1, 0], [0, 1]] }))).toBe(
      'host message "run".target: must be 3×3 (spec.n), got 2 rows',
    );
  });

  it('carries a mark of a step or an interval of steps with a run, and refuses one that marks nothing or lies past the run', () => {
    const step = parseHostMessage({ type: 'run', spec, mark: { step: 7, label: 'erank(k) ≤ 2 is false: 2.4 > 2' } });
    expect(step.type === 'run' && step.mark).toEqual({ step: 7, label: 'erank(k) ≤ 2 is false: 2.4 > 2' });
    const band = parseHostMessage({ type: 'run', spec, mark: { steps: [2, 10], label: 'a plateau' } });
    expect(band.type === 'run' && band.mark).toEqual({ steps: [2, 10], label: 'a plateau' });
    expect(error(() => parseHostMessage({ type: 'run', spec, mark: { label: 'x' } }))).toBe('host message "run".mark.step: expected exactly one of step and steps');
    expect(error(() => parseHostMessage({ type: 'run', spec, mark: { step: 1, steps: [1, 2], label: 'x' } }))).toBe('host message "run".mark.step: expected exactly one of step and steps');
    expect(error(() => parseHostMessage({ type: 'run', spec, mark: { steps: [5, 2], label: 'x' } }))).toBe('host message "run".mark.steps: expected [first, last] with first ≤ last, got [5, 2]');
    expect(error(() => parseHostMessage({ type: 'run', spec, mark: { step: 11, label: 'x' } }))).toBe("host message \"run\".mark: marks step 11, past the run's 10 steps");
    expect(error(() => parseHostMessage({ type: 'run', spec, mark: { step: 1, label: 'x', colour: 'red' } }))).toBe('host message "run".mark: unknown field "colour"');
  });

  it('parses the control messages', () => {
    for (const type of ['pause', 'resume', 'cancel'] as const) expect(parseHostMessage({ type })).toEqual({ type });
    expect(parseHostMessage({ type: 'theme', kind: 'highContrast' })).toEqual({ type: 'theme', kind: 'highContrast' });
    expect(parseHostMessage({ type: 'notice', level: 'info', text: 'saved' })).toEqual({ type: 'notice', level: 'info', text: 'saved' });
  });

  it('accepts a saved result, dropping fields it does not know', () => {
    const r = { ...result(), predicted: { plateaus: [{ L: 1, start: 2, end: 5, epsilon: 0.1, hypothesesMet: true, delta: 0.01 }] } };
    const m = parseHostMessage({ type: 'loadResult', result: r });
    expect(m.type === 'loadResult' && m.result.predicted.plateaus[0]).toEqual({ L: 1, start: 2, end: 5, epsilon: 0.1, hypothesesMet: true });
  });

  it('names the problem in one line', () => {
    expect(error(() => parseHostMessage({ type: 'launch' }))).toBe('host message "launch".type: unknown kind "launch" (expected one of: run, pause, resume, cancel, loadResult, sweep, theme, notice)');
    expect(error(() => parseHostMessage({ type: 'run', spec: { ...spec, depth: 0 } }))).toBe('host message "run".spec.depth: value must be ≥ 1 (got 0)');
    expect(error(() => parseHostMessage({ type: 'run', spec, target: [[1, 'x']] }))).toMatch(/^host message "run"\.target: expected a matrix/);
    expect(error(() => parseHostMessage({ type: 'pause', extra: 1 }))).toBe('host message "pause": unknown field "extra"');
    expect(error(() => parseHostMessage([]))).toBe('host message: expected an object, got an array');
    expect(error(() => parseHostMessage(null))).toBe('host message: expected an object, got null');
    expect(error(() => parseHostMessage({ type: 'loadResult', result: { ...result(), steps: [0, -1] } }))).toMatch(/^host message "loadResult"\.result\.steps: expected an array of step numbers/);
  });
});

describe('webview → host messages', () => {
  it('parses ready, state, points, done, needTarget and export', () => {
    expect(parseWebviewMessage({ type: 'ready', protocol: PROTOCOL_VERSION, backend: 'webgl' })).toMatchObject({ type: 'ready' });
    expect(parseWebviewMessage({ type: 'state', state: 'running', paused: true, backend: 'cpu', fallback: 'no WebGL', step: 3, steps: 10 })).toMatchObject({ paused: true });
    const point = { step: 10, singularValues: [0.5, 0.1], effectiveRank: 1.9, loss: 4, distanceToBestRank: [0.5] };
    expect(parseWebviewMessage({ type: 'points', runId: 1, points: [point] })).toEqual({ type: 'points', runId: 1, points: [point] });
    const done = parseWebviewMessage({ type: 'done', runId: 1, result: result() });
    expect(done.type === 'done' && done.result.steps).toEqual([0, 10]);
    expect(parseWebviewMessage({ type: 'needTarget', spec: { ...spec, n: 28, target: { kind: 'mnist', index: 3 } } })).toMatchObject({ type: 'needTarget' });
    expect(parseWebviewMessage({ type: 'export', format: 'png', fileName: 'lab.png', encoding: 'base64', data: 'iVBORw0KGgo=' })).toMatchObject({ format: 'png' });
  });

  it('rejects what the host must not act on', () => {
    expect(error(() => parseWebviewMessage({ type: 'state', state: 'paused', paused: true, backend: 'webgl' }))).toMatch(/^webview message "state"\.state: /);
    expect(error(() => parseWebviewMessage({ type: 'export', format: 'exe', fileName: 'x', encoding: 'utf8', data: '' }))).toMatch(/^webview message "export"\.format: /);
    expect(error(() => parseWebviewMessage({ type: 'export', format: 'svg', fileName: '', encoding: 'utf8', data: '' }))).toMatch(/^webview message "export"\.fileName: /);
    expect(error(() => parseWebviewMessage({ type: 'done', runId: 1, result: { ...result(), singularValues: [[1, null]] } }))).toMatch(/^webview message "done"\.result\.singularValues: expected an array of arrays of numbers/);
  });
});

describe('message validators under fuzzing', () => {
  // Arbitrary values from either side are answered with a typed message or one
  // InputError line; nothing else escapes (no TypeError from a hostile shape). Each case is also
  // timed against a hang bound (test/fuzzBudget.ts) and each validator prints its count of cases.
  afterAll(stopWatchdog);

  it.each([
    ['parseHostMessage', parseHostMessage],
    ['parseWebviewMessage', parseWebviewMessage],
  ] as const)('%s', (name, parse) => {
    const { seed, numRuns } = fuzzParameters(99, 3000);
    const guard = new HangGuard(`${name} (arbitrary values)`, PARSER_HANG_BOUND_MS);
    const kinds = ['run', 'cancel', 'pause', 'resume', 'loadResult', 'theme', 'ready', 'state', 'points', 'done', 'error', 'needTarget', 'export'];
    const shaped = fc.record({ type: fc.constantFrom(...kinds) }, { requiredKeys: [] }).chain((head) => fc.dictionary(fc.string(), fc.jsonValue()).map((rest) => ({ ...rest, ...head })));
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.jsonValue(), shaped), (input) =>
        guard.run(input, () => expectReadOrRefused(() => parse(input))),
      ),
      { numRuns, seed },
    );
    expect(guard.cases).toBe(numRuns);
    guard.report(`seed ${seed}`);
  });
});
