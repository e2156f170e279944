import { InputError } from '../core/errors';
import { experimentJsonSchema } from '../core/spec/jsonSchema';
import { parseJson, parseSpec } from '../core/spec/parseSpec';
import { experimentSpecSchema, type ExperimentSpec } from '../core/spec/schema';
import { expandSweep, setPath, type ExpandedSweep } from '../core/sweep/expand';
import { AXIS_PATH } from '../core/sweep/schema';

// `--set FIELD=VALUE` of `dfl run` and `dfl sweep`: one field of a spec changed from the command
// line. The field is checked against the spec's JSON Schema (generated from the zod schema that
// parses specs) before the value is, so a misspelt field is refused by name.

export interface FieldSetting {
  /** The argument as given, for messages. */
  arg: string;
  /** Dotted path, as in a sweep's axes: `init.alpha`, `target.eigenvalues.0`. */
  path: string;
  value: unknown;
}

/** `depth=4` → { path: "depth", value: 4 }; VALUE is JSON when it parses as JSON, else text. */
export function parseSetting(arg: string): FieldSetting {
  const eq = arg.indexOf('=');
  const path = eq < 0 ? arg : arg.slice(0, eq).trim();
  if (eq < 0) throw new InputError(`--set ${JSON.stringify(arg)}: expected FIELD=VALUE (such as depth=4 or init.alpha=0.05)`);
  if (!AXIS_PATH.test(path)) throw new InputError(`--set ${JSON.stringify(arg)}: "${path}" is not a dotted field path such as init.alpha`);
  const text = arg.slice(eq + 1);
  let value: unknown = text;
  try {
    value = JSON.parse(text);
  } catch {
    // Not JSON: the text itself (init.kind=gaussian).
  }
  return { arg, path, value };
}

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  allOf?: JsonSchema[];
  $ref?: string;
  additionalProperties?: boolean | JsonSchema;
};

/** The schema's alternatives at one node: unions flattened, references resolved. */
function branches(node: JsonSchema, root: JsonSchema & { $defs?: Record<string, JsonSchema> }): JsonSchema[] {
  if (node.$ref?.startsWith('#/$defs/')) return branches(root.$defs?.[node.$ref.slice('#/$defs/'.length)] ?? {}, root);
  if (node.$ref === '#') return [root];
  const alternatives = [...(node.oneOf ?? []), ...(node.anyOf ?? []), ...(node.allOf ?? [])];
  return alternatives.length > 0 ? alternatives.flatMap((a) => branches(a, root)) : [node];
}

/** Throws when no alternative of the spec schema has a field at `path` (names the known ones). */
function checkSpecPath(setting: FieldSetting): void {
  const root = experimentJsonSchema() as JsonSchema;
  let nodes = [root];
  const keys = setting.path.split('.');
  keys.forEach((key, depth) => {
    const here = nodes.flatMap((n) => branches(n, root));
    // A node that accepts anything (no declared fields, or open ones) accepts any path below it.
    if (here.some((n) => n.properties === undefined && n.items === undefined && (n.additionalProperties === undefined || n.additionalProperties === true))) {
      nodes = [{}];
      return;
    }
    const next = /^[0-9]+$/.test(key) ? here.flatMap((n) => (n.items ? [n.items] : [])) : here.flatMap((n) => (n.properties?.[key] ? [n.properties[key]] : []));
    if (next.length === 0) {
      const at = keys.slice(0, depth).join('.');
      const known = [...new Set(here.flatMap((n) => Object.keys(n.properties ?? {})))];
      const where = at === '' ? 'an experiment spec' : `spec.${at}`;
      throw new InputError(
        `--set ${setting.arg}: unknown field "${key}" in ${where}${known.length > 0 ? ` (fields: ${known.join(', ')})` : here.some((n) => n.items) ? ' (expected an index)' : ''}`,
      );
    }
    nodes = next;
  });
}

/**
 * The spec with every setting applied, then validated (together: changing a target's kind takes
 * several settings). A refusal names the --set whose field it is about, else every --set.
 */
export function applySettingsToSpec(spec: unknown, settings: readonly FieldSetting[]): ExperimentSpec {
  let current = spec as Record<string, unknown>;
  for (const s of settings) {
    checkSpecPath(s);
    current = setPath(current, s.path, s.value, `--set ${s.arg}`);
  }
  try {
    return parseSpec(current);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    const checked = experimentSpecSchema.safeParse(current);
    const field = checked.success ? '' : checked.error.issues[0].path.join('.');
    const meets = (p: string) => field !== '' && (p === field || p.startsWith(`${field}.`) || field.startsWith(`${p}.`));
    const culprits = settings.filter((s) => meets(s.path));
    // A new kind keeps the old kind's fields: say how to replace the whole object instead.
    const kind = settings.find((s) => s.path.endsWith('.kind'));
    const hint = kind ? ` (to change a kind, set the whole object: --set '${kind.path.slice(0, -'.kind'.length)}={"kind": …}')` : '';
    throw new InputError(`${(culprits.length > 0 ? culprits : settings).map((s) => `--set ${s.arg}`).join(' ')}: ${error.message}${hint}`);
  }
}

/**
 * A sweep file's text with the settings applied to its base spec, and its expansion. A field an
 * axis sets is refused (the axis would overwrite it); a refusal that the file alone does not
 * cause is reported against --set.
 */
export function sweepWithSettings(text: string, source: string, settings: readonly FieldSetting[]): { text: string; expanded: ExpandedSweep } {
  const input = parseJson(text, source) as { base?: unknown; axes?: unknown };
  if (input === null || typeof input !== 'object' || Array.isArray(input) || input.base === null || typeof input.base !== 'object' || Array.isArray(input.base))
    return { text, expanded: expandSweep(input, source) };
  const axes = input.axes && typeof input.axes === 'object' ? Object.keys(input.axes) : [];
  let base = input.base as Record<string, unknown>;
  for (const s of settings) {
    checkSpecPath(s);
    const axis = axes.find((a) => a === s.path || a.startsWith(`${s.path}.`) || s.path.startsWith(`${a}.`));
    if (axis) throw new InputError(`--set ${s.arg}: the sweep's axis "${axis}" sets this field in every run (change the axis in ${source})`);
    base = setPath(base, s.path, s.value, `--set ${s.arg}`);
  }
  const changed = { ...input, base };
  try {
    return { text: `${JSON.stringify(changed, null, 2)}\n`, expanded: expandSweep(changed, source) };
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    expandSweep(input, source); // the file's own problem: reported as before
    throw new InputError(`--set ${settings.map((s) => s.arg).join(' --set ')}: ${error.message}`);
  }
}
