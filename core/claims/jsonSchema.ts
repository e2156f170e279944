import { z } from 'zod';
import { experimentJsonSchema } from '../spec/jsonSchema';
import { claimFileSchema } from './schema';

/**
 * The JSON Schema of `*.dfl-claim.json` claim files, generated from the zod schema that parses
 * them, with the domain's `base` completed as an experiment spec whose fields are all optional
 * (a generator may set any of them).
 */
export function claimJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(claimFileSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown> & { properties: Record<string, Record<string, unknown> & { properties: Record<string, unknown> }> };
  const { $schema: _, $id: __, required: ___, title: ____, description: _____, ...experiment } = experimentJsonSchema();
  const domain = schema.properties.domain;
  return {
    ...schema,
    properties: {
      ...schema.properties,
      kind: { ...schema.properties.kind, description: 'theorem: must hold on every generated case where "given" holds; observation: must hold on at least "frequency" of them' },
      given: { ...schema.properties.given, description: 'A precondition (CEL over the run, docs/claims.md): cases where it is false do not count.' },
      expect: { ...schema.properties.expect, description: 'What must hold (CEL over the run, docs/claims.md), e.g. points.all(i, loss[i] <= loss[0]).' },
      domain: {
        ...domain,
        properties: {
          ...domain.properties,
          base: { ...experiment, description: 'An experiment spec (as in *.dfl.json); fields set by a generator may be left out.' },
          generate: {
            ...(domain.properties.generate as object),
            description: 'Dotted path into the spec → a generator: a list of choices, { "integer": [a, b] }, { "uniform" | "logUniform": [a, b] }, { "seeds": k, "from": s }, and at their own paths { "spectrum": {…} } (target.eigenvalues), { "productLogUniform": [a, b] } (init.alpha), { "fractionOfBound": [a, b] } (stepSize), { "learnSmallest": f } (steps).',
          },
        },
      },
    },
    $id: 'https://deep-factorization-lab.invalid/claim.schema.json',
    title: 'Deep Factorization Lab claim',
    description: 'A claim about gradient descent on deep factorizations, checked on generated experiments (docs/claims.md).',
  };
}
