import { beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors';
import { isNumbers, parseRunResult, runResultSchema, trajectoryPointSchema, type RunResult } from '../../core/result';
import { tinyRun } from '../helpers/tinyRuns';

// The result schema (core/result.ts): what a run returns parses and survives a JSON round trip;
// a malformed file is refused with one InputError line naming the file and the first bad field.

let result: RunResult;
beforeAll(async () => {
  result = await tinyRun({ record: { balancedness: true, snapshots: [0, 24] } });
});

/** A deep copy of the run as a saved file would hold it, with `edit` applied. */
function edited(edit: (r: Record<string, unknown> & RunResult) => void): unknown {
  const copy = JSON.parse(JSON.stringify(result)) as Record<string, unknown> & RunResult;
  edit(copy);
  return copy;
}

/** The InputError message of parsing `value` as file "run.json"; fails when none is thrown. */
function refusal(value: unknown): string {
  let thrown: unknown;
  try {
    parseRunResult(value, 'run.json');
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(InputError);
  const message = (thrown as InputError).message;
  expect(message).not.toMatch(/[\n\r]/);
  expect(message.startsWith('run.json: ')).toBe(true);
  return message;
}

describe('a valid result', () => {
  it('is what a run returns: it parses to itself', () => {
    expect(result.steps.length).toBe(12);
    expect(result.snapshots?.steps).toEqual([0, 24]);
    expect(parseRunResult(result, 'run.json')).toEqual(result);
  });

  it('round trips through JSON text unchanged, to the last bit of every number', () => {
    const back = parseRunResult(JSON.parse(JSON.stringify(result)), 'run.json');
    expect(back).toEqual(result);
    const bits = (x: number, i: number) => Object.is(x, result.singularValues.flat()[i]);
    expect(back.singularValues.flat().every(bits)).toBe(true);
    // A file read and saved again is the same text as the first save of what was read
    // (key order is the schema's, so compare saves of parsed values).
    const saved = JSON.stringify(back);
    expect(JSON.stringify(parseRunResult(JSON.parse(saved), 'again.json'))).toBe(saved);
  });

  it('drops unknown fields at the top level and inside objects instead of refusing them', () => {
    const parsed = parseRunResult(
      edited((r) => {
        r.futureField = 1;
        (r.engine as unknown as Record<string, unknown>).gpu = 'none';
        (r.stopped as unknown as Record<string, unknown>).note = 'x';
      }),
      'run.json',
    );
    expect('futureField' in parsed).toBe(false);
    expect('gpu' in parsed.engine).toBe(false);
    expect('note' in parsed.stopped).toBe(false);
    expect(parsed.steps).toEqual(result.steps);
  });

  it('refuses an unknown field inside result.spec (the spec is what a rerun runs)', () => {
    const text = edited((r) => {
      (r.spec as unknown as Record<string, unknown>).futureField = 1;
    });
    expect(() => parseRunResult(text, 'run.json')).toThrow(/result\.spec.*unknown field|unknown field.*futureField/);
  });

  it('accepts a result without the optional series (older files)', () => {
    const older = edited((r) => {
      delete r.balancedness;
      delete r.snapshots;
      delete r.predicted.missing;
      delete r.predicted.notMet;
      for (const p of r.measured.plateaus) delete p.kind;
    });
    const parsed = parseRunResult(older, 'old.json');
    expect(parsed.balancedness).toBeUndefined();
    expect(parsed.measured.plateaus.every((p) => p.kind === undefined)).toBe(true);
  });

  it('accepts a run with no logged step (every series empty)', () => {
    const empty = edited((r) => {
      for (const key of ['steps', 'singularValues', 'effectiveRank', 'loss', 'distanceToBestRank', 'balancedness'] as const) r[key] = [];
    });
    expect(parseRunResult(empty, 'run.json').steps).toEqual([]);
  });
});

describe('a malformed result', () => {
  it('is refused when it is not an object, saying what it is', () => {
    expect(refusal(null)).toContain('expected an object, got null');
    expect(refusal([result])).toContain('got an array');
    expect(refusal('{}')).toContain('got string');
    expect(refusal(3)).toContain('got number');
  });

  it('names a missing field by its path', () => {
    expect(refusal(edited((r) => delete (r as Partial<RunResult>).loss))).toMatch(/^run\.json: not a valid dfl result: result\.loss: /);
    expect(refusal(edited((r) => delete (r.stopped as Partial<RunResult['stopped']>).kind))).toContain('result.stopped.kind: missing');
    expect(refusal(edited((r) => delete (r.engine as Partial<RunResult['engine']>).path))).toContain('result.engine.path: missing');
  });

  it('names a field of the wrong type or value, with what it got', () => {
    expect(refusal(edited((r) => ((r as Record<string, unknown>).elapsedSeconds = '0.1')))).toContain('result.elapsedSeconds: expected number, got "0.1"');
    expect(refusal(edited((r) => ((r.engine as Record<string, unknown>).precision = 'float16')))).toContain('result.engine.precision: unknown value "float16"');
    expect(refusal(edited((r) => ((r.stopped as Record<string, unknown>).step = 1.5)))).toContain('result.stopped.step');
    expect(refusal(edited((r) => (r.measured.plateaus[0].L = 0)))).toContain('result.measured.plateaus[0].L');
  });

  it('names a numeric series holding something other than numbers', () => {
    expect(refusal(edited((r) => ((r.loss as unknown[])[3] = null)))).toContain('result.loss: expected an array of numbers');
    expect(refusal(edited((r) => ((r.singularValues as unknown[])[2] = 'x')))).toContain('result.singularValues: expected an array of arrays of numbers');
    expect(refusal(edited((r) => (r.steps[1] = -1)))).toContain('result.steps: expected an array of step numbers');
    expect(refusal(edited((r) => (r.steps[1] = 0.5)))).toContain('result.steps');
  });

  it('names a series whose length differs from the steps', () => {
    expect(refusal(edited((r) => r.effectiveRank.pop()))).toContain('result.effectiveRank: has 11 entries but steps has 12');
    expect(refusal(edited((r) => r.distanceToBestRank.push([1, 1])))).toContain('result.distanceToBestRank: has 13 entries but steps has 12');
    expect(refusal(edited((r) => (r.groundTruthError = [1, 2])))).toContain('result.groundTruthError: has 2 entries but steps has 12');
  });

  it('names a ragged row and steps that do not increase', () => {
    expect(refusal(edited((r) => r.singularValues[4].pop()))).toContain('result.singularValues[4]: has 2 values but singularValuesKept is 3');
    expect(refusal(edited((r) => r.distanceToBestRank[7].push(0)))).toContain('result.distanceToBestRank[7]: has 3 distances but the first step has 2');
    expect(refusal(edited((r) => (r.steps[5] = r.steps[4])))).toContain('result.steps[5]: steps must increase');
  });

  it('names a bad field of the embedded spec under result.spec', () => {
    expect(refusal(edited((r) => ((r.spec as Record<string, unknown>).n = 0)))).toContain('result.spec.n');
    expect(refusal(edited((r) => ((r.spec.target as Record<string, unknown>).kind = 'nope')))).toContain('result.spec.target.kind');
  });

  it('reports the first bad field only, in one line', () => {
    const message = refusal(edited((r) => {
      delete (r as Partial<RunResult>).loss;
      delete (r as Partial<RunResult>).effectiveRank;
    }));
    expect(message.match(/result\.(loss|effectiveRank)/g)?.length).toBe(1);
  });
});

describe('the parts of the schema', () => {
  it('isNumbers accepts arrays of numbers only', () => {
    expect(isNumbers([])).toBe(true);
    expect(isNumbers([1, NaN, -Infinity])).toBe(true);
    expect(isNumbers([1, '2'])).toBe(false);
    expect(isNumbers('12')).toBe(false);
    expect(isNumbers({ length: 0 })).toBe(false);
  });

  it('a streamed trajectory point needs an integer step ≥ 0 and its series', () => {
    const point = { step: 3, singularValues: [2, 1], effectiveRank: 1.5, loss: 0.25, distanceToBestRank: [1] };
    expect(trajectoryPointSchema.safeParse(point).success).toBe(true);
    expect(trajectoryPointSchema.safeParse({ ...point, step: -1 }).success).toBe(false);
    expect(trajectoryPointSchema.safeParse({ ...point, step: 0.5 }).success).toBe(false);
    expect(trajectoryPointSchema.safeParse({ ...point, loss: undefined }).success).toBe(false);
    expect(trajectoryPointSchema.safeParse({ ...point, balancedness: [0.1] }).success).toBe(true);
  });

  it('runResultSchema rejects what parseRunResult rejects', () => {
    expect(runResultSchema.safeParse(result).success).toBe(true);
    expect(runResultSchema.safeParse(edited((r) => r.loss.pop())).success).toBe(false);
  });
});
