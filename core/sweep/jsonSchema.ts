import { z } from 'zod';
import { experimentJsonSchema } from '../spec/jsonSchema';
import { sweepSchema } from './schema';

/**
 * The JSON Schema of `*.dfl-sweep.json` sweep files, generated from the zod schema that parses
 * them, with `base` completed as an experiment spec whose fields are all optional (an axis may
 * set any of them).
 */
export function sweepJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(sweepSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown> & { properties: Record<string, unknown> };
  const { $schema: _, $id: __, required: ___, title: ____, description: _____, ...experiment } = experimentJsonSchema();
  return {
    ...schema,
    properties: {
      ...schema.properties,
      base: { ...experiment, description: 'An experiment spec (as in *.dfl.json); fields set by an axis may be left out.' },
      axes: {
        ...(schema.properties.axes as object),
        description: 'Dotted path into the spec ("depth", "init.alpha", "target.seed") → a list of values, { "linear" | "log": [a, b], "count": k }, { "seeds": k, "from": s }, or with "sample" { "uniform" | "logUniform": [a, b] }. A full grid, first axis slowest.',
      },
    },
    $id: 'https://deep-factorization-lab.invalid/sweep.schema.json',
    title: 'Deep Factorization Lab sweep',
    description: 'Many runs of one experiment: a base spec, axes over its fields, the measures per run (docs/sweeps.md).',
  };
}
