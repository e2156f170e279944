import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../node/files';

const dir = mkdtempSync(path.join(os.tmpdir(), 'dfl-write-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writeFileAtomic of pieces', () => {
  it('writes the bytes of the joined text, whatever the pieces and where they break', () => {
    const pieces = [
      '{"a":',
      'é✓',
      'x'.repeat((1 << 20) / 3 - 2), // fills most of a block
      '\ud83d', // a surrogate pair split between two pieces
      '\ude00 after',
      'y'.repeat(1 << 20), // larger than a block
      '',
      '\ud83d', // a lone high surrogate at the very end
    ];
    for (let i = 0; i < 3000; i++) pieces.splice(3, 0, `,${i}😀`);
    const file = path.join(dir, 'pieces.json');
    writeFileAtomic(file, pieces);
    expect(readFileSync(file).equals(Buffer.from(pieces.join(''), 'utf8'))).toBe(true);
    writeFileAtomic(file, []);
    expect(readFileSync(file).length).toBe(0);
  });
});
