// JSON text with the offset of every value, so that a claim's errors can name the line and column
// of the field (or the character inside an expression string) that is wrong. JSON.parse keeps no
// positions, hence this small reader of the JSON grammar (RFC 8259).

export type JsonPath = readonly (string | number)[];

interface JsonSpan {
  /** Offset of the value's first character (the opening quote of a string). */
  start: number;
  end: number;
}

export class JsonSyntaxError extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
  }
}

export interface PositionedJson {
  value: unknown;
  text: string;
  /** Span of the value at a path ("a.b[2]" as a key: pathKey). */
  spans: Map<string, JsonSpan>;
}

export const pathKey = (path: JsonPath): string => JSON.stringify(path);
/** The key under which the span of a field's name (not its value) is kept. */
export const fieldKey = (path: JsonPath): string => `field ${pathKey(path)}`;

/** 1-based line and column of an offset (columns count UTF-16 code units, as editors do). */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++)
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  return { line, column: offset - lineStart + 1 };
}

/**
 * The offset in the file of character `index` of the string value whose literal starts at
 * `start` (its opening quote): escapes (\n, \uXXXX) take several characters in the file.
 */
export function stringCharOffset(text: string, start: number, index: number): number {
  let at = start + 1;
  for (let decoded = 0; decoded < index && text[at] !== '"' && at < text.length; decoded++) at += text[at] === '\\' ? (text[at + 1] === 'u' ? 6 : 2) : 1;
  return at;
}

export function parsePositionedJson(text: string): PositionedJson {
  const spans = new Map<string, JsonSpan>();
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const fail = (message: string, at = i): never => {
    throw new JsonSyntaxError(message, at);
  };
  const space = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const describe = () => (i >= text.length ? 'end of file' : JSON.stringify(text[i]));
  const string = (): string => {
    const start = i;
    i++;
    let end = i;
    while (end < text.length && text[end] !== '"') {
      if (text.charCodeAt(end) < 0x20) fail('control character in a string (escape it)', end);
      end += text[end] === '\\' ? 2 : 1;
    }
    if (end >= text.length) fail('unterminated string', start);
    i = end + 1;
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch {
      return fail('invalid escape in a string', start);
    }
  };
  const value = (path: (string | number)[]): unknown => {
    space();
    const start = i;
    let result: unknown;
    const c = text[i];
    if (c === '{') {
      i++;
      const object: Record<string, unknown> = {};
      space();
      if (text[i] === '}') i++;
      else
        for (;;) {
          space();
          if (text[i] !== '"') fail(`expected a field name in double quotes, got ${describe()}`);
          const keyStart = i;
          const key = string();
          // JSON.parse keeps the last of two equal keys; in a claim that silently drops a statement.
          if (Object.prototype.hasOwnProperty.call(object, key)) fail(`the field "${key}" is given twice`, keyStart);
          spans.set(fieldKey([...path, key]), { start: keyStart, end: i });
          space();
          if (text[i] !== ':') fail(`expected ":" after the field name, got ${describe()}`);
          i++;
          Object.defineProperty(object, key, { value: value([...path, key]), enumerable: true, configurable: true, writable: true });
          space();
          if (text[i] === ',') {
            i++;
            continue;
          }
          if (text[i] === '}') {
            i++;
            break;
          }
          fail(`expected "," or "}" after a field, got ${describe()}`);
        }
      result = object;
    } else if (c === '[') {
      i++;
      const array: unknown[] = [];
      space();
      if (text[i] === ']') i++;
      else
        for (;;) {
          array.push(value([...path, array.length]));
          space();
          if (text[i] === ',') {
            i++;
            continue;
          }
          if (text[i] === ']') {
            i++;
            break;
          }
          fail(`expected "," or "]" after an array entry, got ${describe()}`);
        }
      result = array;
    } else if (c === '"') result = string();
    else {
      const m = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 400));
      if (!m) fail(`unexpected ${describe()} (expected a value)`);
      i += m![0].length;
      result = JSON.parse(m![0]);
    }
    spans.set(pathKey(path), { start, end: i });
    return result;
  };
  const result = value([]);
  space();
  if (i < text.length) fail(`unexpected ${describe()} after the end of the JSON value`);
  return { value: result, text, spans };
}
