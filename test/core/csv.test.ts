import { describe, expect, it } from 'vitest';
import { csvCell, csvText } from '../../core/csv';

// The one CSV writer (RFC 4180): what a spreadsheet or pandas reads back is what was written.

/** A reader of RFC 4180 text (quoted cells, doubled quotes, line breaks inside quotes), for the round trip. */
function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  return rows;
}

describe('csvCell', () => {
  it('quotes a cell with a comma, a quote or a line break, and doubles its quotes', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('carriage\rreturn')).toBe('"carriage\rreturn"');
  });

  it('writes numbers and booleans as they print, nothing for null, undefined, functions; objects as JSON', () => {
    expect(csvCell(0.1)).toBe('0.1');
    expect(csvCell(-0)).toBe('0');
    expect(csvCell(1e-300)).toBe('1e-300');
    expect(csvCell(true)).toBe('true');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(() => 1)).toBe('');
    expect(csvCell({ a: [1, 2] })).toBe('"{""a"":[1,2]}"');
  });
});

describe('csvText', () => {
  it('writes a line per row, each ending in \\n, and reads back cell for cell', () => {
    const rows = [
      ['name', 'value', 'note'],
      ['α = 0.1', 2.5, 'a, b'],
      ['quote', -1, 'he said "no"\nthen left'],
      ['empty', null, undefined],
    ];
    const text = csvText(rows);
    expect(text.endsWith('\n')).toBe(true);
    expect(readCsv(text)).toEqual(rows.map((r) => r.map((v) => (v === null || v === undefined ? '' : String(v)))));
  });

  it('writes nothing for no rows', () => {
    expect(csvText([])).toBe('');
  });
});
