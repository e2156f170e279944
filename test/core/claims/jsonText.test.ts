import { describe, expect, it } from 'vitest';
import { fieldKey, JsonSyntaxError, lineColumn, parsePositionedJson, pathKey, stringCharOffset } from '../../../core/claims/jsonText';

/** Where a syntax error in `text` is, as line:column. */
function syntaxError(text: string): { at: string; message: string } {
  try {
    parsePositionedJson(text);
  } catch (error) {
    expect(error).toBeInstanceOf(JsonSyntaxError);
    const { line, column } = lineColumn(text, (error as JsonSyntaxError).offset);
    return { at: `${line}:${column}`, message: (error as Error).message };
  }
  throw new Error(`no syntax error in ${text}`);
}

const at = (text: string, offset: number) => {
  const { line, column } = lineColumn(text, offset);
  return `${line}:${column}`;
};

describe('parsePositionedJson', () => {
  it('reads what JSON.parse reads', () => {
    const samples = ['{}', '[]', '0', '-1.5e-3', 'true', 'null', '"a\\"b\\u00e9\\n"', '{"a": [1, {"b": null}, "x"], "c": {"d": false}}', ' \n\t{ "k" : 1 } \r\n', '[1E+2, 0.5, -0]'];
    for (const text of samples) expect(parsePositionedJson(text).value).toEqual(JSON.parse(text));
  });

  it('skips a byte-order mark', () => {
    expect(parsePositionedJson('\ufeff{"a": 1}').value).toEqual({ a: 1 });
  });

  it('keeps the span of every value and of every field name', () => {
    const text = '{\n  "name": "x",\n  "domain": {\n    "generate": { "n": [2, 3] }\n  }\n}';
    const { spans } = parsePositionedJson(text);
    const value = (path: (string | number)[]) => spans.get(pathKey(path))!;
    expect(at(text, value(['name']).start)).toBe('2:11');
    expect(text.slice(value(['name']).start, value(['name']).end)).toBe('"x"');
    expect(at(text, spans.get(fieldKey(['domain']))!.start)).toBe('3:3');
    expect(at(text, value(['domain', 'generate', 'n', 1]).start)).toBe('4:28');
    expect(text.slice(value(['domain', 'generate', 'n']).start, value(['domain', 'generate', 'n']).end)).toBe('[2, 3]');
    expect(value([])).toEqual({ start: 0, end: text.length });
  });

  it('places syntax errors at the line and column where they are', () => {
    // A missing comma between two fields: at the second field's quote.
    expect(syntaxError('{\n  "name": "x"\n  "kind": "theorem"\n}')).toEqual({ at: '3:3', message: 'expected "," or "}" after a field, got "\\""' });
    // A trailing comma: at the closing brace, where a field name was expected.
    expect(syntaxError('{\n  "a": 1,\n}')).toEqual({ at: '3:1', message: 'expected a field name in double quotes, got "}"' });
    // A single-quoted name.
    expect(syntaxError("{\n    'kind': 1}")).toEqual({ at: '2:5', message: 'expected a field name in double quotes, got "\'"' });
    // A missing colon.
    expect(syntaxError('{"a" 1}')).toEqual({ at: '1:6', message: 'expected ":" after the field name, got "1"' });
    // A bare word as a value.
    expect(syntaxError('{\n  "kind": theorem\n}')).toEqual({ at: '2:11', message: 'unexpected "t" (expected a value)' });
    // An unterminated string: at its opening quote; one cut by a line end: at the line end.
    expect(syntaxError('{\n  "expect": "points.all(i,')).toEqual({ at: '2:13', message: 'unterminated string' });
    expect(syntaxError('{\n  "expect": "points.all(i,\n  i > 0)"}')).toEqual({ at: '2:27', message: 'control character in a string (escape it)' });
    // Cut short: at the end of the file.
    expect(syntaxError('{"a": [1, 2')).toEqual({ at: '1:12', message: 'expected "," or "]" after an array entry, got end of file' });
    expect(syntaxError('')).toEqual({ at: '1:1', message: 'unexpected end of file (expected a value)' });
    // Something after the value.
    expect(syntaxError('{}\n}')).toEqual({ at: '2:1', message: 'unexpected "}" after the end of the JSON value' });
  });

  it('refuses what JSON refuses inside strings and numbers', () => {
    expect(syntaxError('{"a": "x\ty"}')).toEqual({ at: '1:9', message: 'control character in a string (escape it)' });
    expect(syntaxError('{"a": "\\q"}')).toEqual({ at: '1:7', message: 'invalid escape in a string' });
    // A leading zero: "0" is read, then "1" is left over.
    expect(syntaxError('[01]').message).toBe('expected "," or "]" after an array entry, got "1"');
    expect(syntaxError('[+1]').message).toBe('unexpected "+" (expected a value)');
    expect(syntaxError('[NaN]').message).toBe('unexpected "N" (expected a value)');
  });

  it('refuses a key given twice, at the second (JSON.parse would keep the last silently)', () => {
    expect(syntaxError('{"a": 1, "a": 2}')).toEqual({ at: '1:10', message: 'the field "a" is given twice' });
    // The same key in two objects is fine; twice in one is not.
    expect(syntaxError('{"x": {"a": 1}, "y": {"a": 2, "b": 1, "b": 3}}')).toEqual({ at: '1:39', message: 'the field "b" is given twice' });
  });

  it('reads "__proto__" as a plain field, not the prototype', () => {
    const parsed = parsePositionedJson('{"__proto__": {"polluted": true}}');
    expect(Object.keys(parsed.value as object)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(parsed.value)).toBe(Object.prototype);
  });
});

describe('lineColumn', () => {
  it('counts lines and 1-based columns', () => {
    const text = 'ab\ncd\n\nef';
    expect(lineColumn(text, 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumn(text, 1)).toEqual({ line: 1, column: 2 });
    expect(lineColumn(text, 3)).toEqual({ line: 2, column: 1 });
    expect(lineColumn(text, 7)).toEqual({ line: 4, column: 1 });
    expect(lineColumn(text, 9)).toEqual({ line: 4, column: 3 });
  });

  it('counts a CRLF line end once', () => {
    expect(lineColumn('a\r\nb', 3)).toEqual({ line: 2, column: 1 });
  });
});

describe('stringCharOffset', () => {
  it('maps a character of a string value to its offset in the file, past escapes', () => {
    const text = '{"e": "a\\nb\\u00e9c"}';
    const start = text.indexOf('"a');
    expect(text[stringCharOffset(text, start, 0)]).toBe('a');
    // Character 2 of the decoded string ("a", newline, "b") is the "b" after the two-character escape.
    expect(text[stringCharOffset(text, start, 2)]).toBe('b');
    // Character 4 ("c") is after the six-character \u00e9.
    expect(text[stringCharOffset(text, start, 4)]).toBe('c');
    // Past the end of the string it stops at the closing quote.
    expect(text[stringCharOffset(text, start, 99)]).toBe('"');
  });
});
