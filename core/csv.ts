// The one CSV writer (RFC 4180): cells with a comma, a quote or a line break are quoted, quotes
// doubled; null and undefined are empty cells; objects are written as JSON. Lines end in \n.

export function csvCell(value: unknown): string {
  const text = cellText(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function cellText(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'undefined':
      return '';
    default:
      // Objects as JSON; null, functions and symbols (no JSON text) as empty cells.
      return value === null ? '' : (JSON.stringify(value) ?? '');
  }
}

/** The CSV text of `lines` (the header first), a line break after each. */
export function csvText(lines: Iterable<readonly unknown[]>): string {
  let text = '';
  for (const line of lines) text += `${line.map(csvCell).join(',')}\n`;
  return text;
}
