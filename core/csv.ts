// The one CSV writer (RFC 4180): cells with a comma, a quote or a line break are quoted, quotes
// doubled; null and undefined are empty cells; objects are written as JSON. Lines end in \n.

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The CSV text of `lines` (the header first), a line break after each. */
export function csvText(lines: Iterable<readonly unknown[]>): string {
  let text = '';
  for (const line of lines) text += `${line.map(csvCell).join(',')}\n`;
  return text;
}
