// Feeds every file of test/fixtures/bad and test/fixtures/good to parseMatrixFile: bad ones must
// fail with the one-line message fragment that bad/README.md lists, good ones must give a finite
// square matrix with the expected values.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toRows } from '../../../../core/linalg/dense';
import { parseMatrixFile } from '../../../../core/targets/files';
import { fixtures } from '../../../fixtures/make-fixtures.mjs';
import { expectInputError } from './expectInputError';

const FIXTURES = join(__dirname, '../../../fixtures');
const BAD = join(FIXTURES, 'bad');
const GOOD = join(FIXTURES, 'good');

const filesIn = (dir: string) => readdirSync(dir).filter((name) => name !== 'README.md').sort();

/** `| `file` | `fragment` |` rows of bad/README.md; `\|` stands for a literal pipe. */
function expectedFragments(): Map<string, string> {
  const rows = new Map<string, string>();
  for (const line of readFileSync(join(BAD, 'README.md'), 'utf8').split('\n')) {
    const match = /^\| `([^`]+)` \| `(.+)` \|$/.exec(line.trim());
    if (match) rows.set(match[1], match[2].replaceAll('\\|', '|'));
  }
  return rows;
}

/** Values of the hand-written good fixtures (generated ones carry theirs in make-fixtures.mjs). */
const HAND_WRITTEN: Record<string, number[][]> = {
  'array-general.mtx': [
    [1, 2],
    [3, 4],
  ],
  'comments.csv': [
    [1, 2],
    [3, 4],
  ],
  'coordinate-symmetric.mtx': [
    [2, -1, 0],
    [-1, 2, 0],
    [0, 0, 1e-3],
  ],
  'data-object.json': [
    [1.5, -2],
    [0, 4e-3],
  ],
  'duplicates.mtx': [
    [4, 0],
    [0, 1],
  ],
  'matrix.json': [
    [1, 2],
    [3, 4],
  ],
  'pattern.mtx': [
    [0, 1],
    [1, 0],
  ],
  'plain.csv': [
    [1, 2],
    [3, 4],
  ],
  'semicolon.csv': [
    [1.5, -2],
    [0, 4e-3],
  ],
  'skew.mtx': [
    [0, -5, 0],
    [5, 0, 7],
    [0, -7, 0],
  ],
  'spaces.txt': [
    [1, 2],
    [-3, 4],
  ],
  'tabs.tsv': [
    [1, 0, 0],
    [0, 2, 0],
    [0, 0, 3],
  ],
};

const generatedValues = new Map(fixtures.filter((f) => f.expected).map((f) => [f.name, f.expected!]));

describe('bad matrix files', () => {
  const fragments = expectedFragments();

  it('are each listed in bad/README.md, and every listed file exists', () => {
    expect([...fragments.keys()].sort()).toEqual(filesIn(BAD));
  });

  it.each(filesIn(BAD))('%s is refused with a one-line InputError naming the file', (name) => {
    const message = expectInputError(() => parseMatrixFile(name, readFileSync(join(BAD, name))), `${name}: `);
    expect(message.startsWith(`${name}: `)).toBe(true);
    expect(message).toContain(fragments.get(name) ?? '(missing from bad/README.md)');
  });
});

describe('good matrix files', () => {
  it.each(filesIn(GOOD))('%s parses to a finite square matrix with the expected values', (name) => {
    const m = parseMatrixFile(name, readFileSync(join(GOOD, name)));
    expect(m.rows).toBe(m.cols);
    expect(m.data.every(Number.isFinite)).toBe(true);
    const expected = HAND_WRITTEN[name] ?? generatedValues.get(name);
    expect(expected, `no expected values for ${name}`).toBeDefined();
    expect(toRows(m)).toEqual(expected);
  });
});

describe('generated fixtures', () => {
  it.each(fixtures.map((f) => [`${f.dir}/${f.name}`, f.bytes] as const))('%s matches make-fixtures.mjs', (path, bytes) => {
    expect(new Uint8Array(readFileSync(join(FIXTURES, path)))).toEqual(bytes);
  });
});
