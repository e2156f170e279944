import { describe, expect, it } from 'vitest';
import { listPresets } from '../../../core/presets';
import { experimentJsonSchema } from '../../../core/spec/jsonSchema';

// The JSON Schema VS Code validates *.dfl.json with, generated from the zod schema that parses
// them: the two must accept the same fields, and unknown ones must be flagged in the editor too.

type ObjectSchema = { properties: Record<string, unknown>; required?: string[]; additionalProperties?: unknown };

describe('experimentJsonSchema', () => {
  const schema = experimentJsonSchema() as ObjectSchema & Record<string, unknown>;

  it('lists the spec fields, refuses others, and requires the ones without a default', () => {
    expect(Object.keys(schema.properties).sort()).toEqual(['depth', 'description', 'effectiveRank', 'engine', 'epsilon', 'init', 'log', 'n', 'name', 'problem', 'record', 'stepSize', 'steps', 'target'].sort());
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(expect.arrayContaining(['n', 'depth', 'target', 'init', 'stepSize', 'steps']));
    // Fields with defaults stay optional in the editor (the input side of the zod schema).
    for (const optional of ['log', 'effectiveRank', 'epsilon', 'engine', 'problem']) expect(schema.required).not.toContain(optional);
  });

  it('names itself for the editor', () => {
    expect(schema.$id).toBe('https://deep-factorization-lab.invalid/experiment.schema.json');
    expect(schema.title).toBe('Deep Factorization Lab experiment');
  });

  it('has a property for every field the shipped presets use', () => {
    for (const preset of listPresets()) for (const spec of preset.specs) for (const field of Object.keys(spec)) expect(schema.properties, `${preset.name}: ${field}`).toHaveProperty(field);
  });
});
