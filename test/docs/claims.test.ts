import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { claimFunctions, claimVariables } from '../../core/claims/vocabulary';

// docs/claims.md lists the names and functions a claim's expressions see; the tables are made
// from the vocabulary itself so that the two cannot drift (DFL_UPDATE_DOCS=1 rewrites them).

const file = path.join(__dirname, '..', '..', 'docs', 'claims.md');
const cell = (text: string) => text.replace(/\|/g, '\\|');

function replaceBetween(text: string, marker: string, body: string): string {
  const start = text.indexOf(`<!-- ${marker}:`);
  const end = text.indexOf(`<!-- /${marker} -->`);
  if (start < 0 || end < 0) throw new Error(`docs/claims.md has no <!-- ${marker}: … --> block`);
  const open = text.indexOf('-->', start) + 3;
  return `${text.slice(0, open)}\n${body}\n${text.slice(end)}`;
}

describe('docs/claims.md', () => {
  it('lists every name and function of the claim vocabulary, as the vocabulary states them', () => {
    const names = ['| name | type | meaning |', '|---|---|---|', ...claimVariables.map((v) => `| \`${v.name}\` | \`${cell(v.type)}\` | ${cell(v.description)} |`)].join('\n');
    const functions = ['| function | meaning |', '|---|---|', ...claimFunctions.map((f) => `| \`${cell(f.type)}\` | ${cell(f.description)} |`)].join('\n');
    const current = readFileSync(file, 'utf8');
    const wanted = replaceBetween(replaceBetween(current, 'names', names), 'functions', functions);
    if (process.env.DFL_UPDATE_DOCS === '1') writeFileSync(file, wanted);
    expect(current).toBe(wanted);
  });
});
