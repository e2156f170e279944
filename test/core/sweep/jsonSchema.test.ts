import { describe, expect, it } from 'vitest';
import { experimentJsonSchema } from '../../../core/spec/jsonSchema';
import { sweepJsonSchema } from '../../../core/sweep/jsonSchema';

// The JSON Schema of *.dfl-sweep.json: the sweep file's own fields, with `base` an experiment
// spec whose fields are all optional (an axis may set any of them).

type ObjectSchema = { properties: Record<string, ObjectSchema & Record<string, unknown>>; required?: string[]; additionalProperties?: unknown };

describe('sweepJsonSchema', () => {
  const schema = sweepJsonSchema() as ObjectSchema & Record<string, unknown>;
  const experiment = experimentJsonSchema() as ObjectSchema;

  it('completes base as an experiment spec with nothing required', () => {
    const base = schema.properties.base;
    expect(Object.keys(base.properties).sort()).toEqual(Object.keys(experiment.properties).sort());
    expect(base.required).toBeUndefined();
    expect(base.additionalProperties).toBe(false);
    expect(base).not.toHaveProperty('$id');
  });

  it('describes the axes and names itself, apart from the experiment schema', () => {
    expect(String(schema.properties.axes.description)).toMatch(/Dotted path into the spec/);
    expect(schema.$id).toBe('https://deep-factorization-lab.invalid/sweep.schema.json');
    expect(schema.$id).not.toBe((experiment as unknown as Record<string, unknown>).$id);
  });
});
