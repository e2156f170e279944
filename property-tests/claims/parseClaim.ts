import fc from 'fast-check';
import { ClaimError, type Claim, type ClaimPosition } from '../../core/claims/claim';
import { compileExpression } from '../../core/claims/expression';
import { fieldKey, JsonSyntaxError, lineColumn, parsePositionedJson, pathKey, stringCharOffset, type JsonPath, type PositionedJson } from '../../core/claims/jsonText';
import { claimFileSchema } from '../../core/claims/schema';
import { InputError } from '../../core/errors';
import { formatIssue } from '../../core/spec/parseSpec';
import { axisKind, DERIVED_AT, domainArbitrary } from './domain';

/** Cases drawn when a claim is read, to find a domain that generates invalid specs before any run. */
const DOMAIN_PROBES = 30;

/** The position of the value at `path`, or of its nearest enclosing value that exists. */
function positionOf(json: PositionedJson, path: JsonPath, inString?: number): ClaimPosition {
  return positionIn(json, path, inString);
}

/** The position of a field's name (an unknown field is pointed at by its name). */
function fieldPosition(json: PositionedJson, path: JsonPath): ClaimPosition {
  const span = json.spans.get(fieldKey(path));
  return span ? lineColumn(json.text, span.start) : positionIn(json, path);
}

function positionIn(json: PositionedJson, path: JsonPath, inString?: number): ClaimPosition {
  for (let k = path.length; k >= 0; k--) {
    const span = json.spans.get(pathKey(path.slice(0, k)));
    if (span) return lineColumn(json.text, inString !== undefined && k === path.length ? stringCharOffset(json.text, span.start, inString) : span.start);
  }
  return { line: 1, column: 1 };
}

/**
 * Where in the claim file a spec error ("spec.target.eigenvalues[2]: …") comes from: the
 * generator of that field or of a field above it, else the base.
 */
function domainPath(message: string, generate: Record<string, unknown>): JsonPath {
  const match = /^spec((?:\.[A-Za-z_$][\w$]*|\[\d+\])*)/.exec(message);
  const path = (match?.[1] ?? '').split(/\.|\[|\]/).filter(Boolean).map((k) => (/^\d+$/.test(k) ? Number(k) : k));
  for (let k = path.length; k > 0; k--) {
    const dotted = path.slice(0, k).join('.');
    if (dotted in generate) return ['domain', 'generate', dotted];
  }
  const unknown = /unknown fields? "([^"]+)"/.exec(message);
  return ['domain', 'base', ...path, ...(unknown ? [unknown[1]] : [])];
}

/**
 * Reads and type-checks a claim file (`*.dfl-claim.json`, docs/claims.md): its JSON, its fields,
 * its expressions against the vocabulary, and a few cases of its domain. Throws a ClaimError
 * naming the file, the line and column, and what is wrong, before any case runs.
 */
export function parseClaimFile(text: string, file: string): Claim {
  let json: PositionedJson;
  try {
    json = parsePositionedJson(text);
  } catch (error) {
    if (error instanceof JsonSyntaxError) throw new ClaimError(file, `invalid JSON: ${error.message}`, lineColumn(text, error.offset));
    throw error;
  }
  if (json.value === null || typeof json.value !== 'object' || Array.isArray(json.value)) throw new ClaimError(file, 'a claim file is a JSON object', positionOf(json, []));
  const parsed = claimFileSchema.safeParse(json.value);
  if (!parsed.success) {
    // A misspelt field shows as an unknown one and a missing one: the unknown one is named.
    const issue = parsed.error.issues.find((i) => i.code === 'unrecognized_keys') ?? parsed.error.issues[0];
    // An unknown field is placed at the field itself, the object's other issues at their value.
    const position = issue.code === 'unrecognized_keys' ? fieldPosition(json, [...issue.path, issue.keys[0]] as JsonPath) : positionOf(json, issue.path as JsonPath);
    throw new ClaimError(file, formatIssue(issue, json.value, 'claim'), position);
  }
  const definition = parsed.data;
  for (const [path, axis] of Object.entries(definition.domain.generate)) {
    const kind = axisKind(axis);
    if (kind in DERIVED_AT && DERIVED_AT[kind] !== path) throw new ClaimError(file, `claim.domain.generate: "${kind}" generates ${DERIVED_AT[kind]}, not ${path}`, positionOf(json, ['domain', 'generate', path]));
  }
  const compile = (field: 'given' | 'expect') => {
    const source = definition[field];
    if (source === undefined) return undefined;
    const compiled = compileExpression(source, Object.keys(definition.variants));
    if ('message' in compiled) throw new ClaimError(file, `claim.${field}: ${compiled.message}`, positionOf(json, [field], compiled.offset));
    return compiled;
  };
  try {
    fc.sample(domainArbitrary(definition), { numRuns: DOMAIN_PROBES, seed: 0 });
  } catch (error) {
    if (error instanceof InputError) {
      const path = domainPath(error.message, definition.domain.generate);
      throw new ClaimError(file, `claim.domain does not generate valid specs: ${error.message}`, /unknown fields? "/.test(error.message) ? fieldPosition(json, path) : positionOf(json, path));
    }
    throw error;
  }
  const given = compile('given');
  const expect = compile('expect')!;
  return {
    file,
    name: definition.name,
    kind: definition.kind,
    statement: definition.statement,
    source: definition.source,
    definition,
    given,
    expect,
    frequency: definition.frequency,
    runs: definition.runs ?? 100,
    positions: { claim: positionOf(json, ['name']), expect: positionOf(json, ['expect']), given: given ? positionOf(json, ['given']) : undefined },
  };
}
