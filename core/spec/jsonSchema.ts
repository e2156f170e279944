import { z } from 'zod';
import { experimentSpecSchema } from './schema';

/**
 * The JSON Schema of `*.dfl.json` experiment files, generated from the same zod schema that
 * parses them (input side: fields with defaults are optional).
 */
export function experimentJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(experimentSpecSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return {
    ...schema,
    $id: 'https://deep-factorization-lab.invalid/experiment.schema.json',
    title: 'Deep Factorization Lab experiment',
    description: 'One gradient-descent run on a deep matrix factorization W = W_N ⋯ W_1 (see docs/theory.md).',
  };
}
