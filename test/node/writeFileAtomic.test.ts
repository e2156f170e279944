import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openAtomicFile, writeFileAtomic } from '../../node/files';

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

describe('openAtomicFile', () => {
  it('replaces the file only at commit, and discard leaves it as it was with no temporary file', () => {
    const file = path.join(dir, 'kept.csv');
    writeFileAtomic(file, 'old\n');
    const out = openAtomicFile(file);
    out.write('a,');
    out.write(new Uint8Array([0x62, 0x0a])); // "b\n"
    out.write('\ud83d'); // a pair split across pieces and a bytes piece stays whole
    out.write('\ude00');
    expect(readFileSync(file, 'utf8')).toBe('old\n');
    out.commit();
    expect(readFileSync(file, 'utf8')).toBe('a,b\n😀');
    expect(() => out.write('late')).toThrow(/kept\.csv: written after it was closed/);

    const dropped = openAtomicFile(file);
    dropped.write('never');
    dropped.discard();
    expect(readFileSync(file, 'utf8')).toBe('a,b\n😀');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('names the file when it cannot be written, and replaces no folder', () => {
    const folder = path.join(dir, 'a-folder');
    mkdirSync(folder);
    expect(() => openAtomicFile(folder)).toThrow(/a-folder: is a directory; not replaced/);
    expect(statSync(folder).isDirectory()).toBe(true);
  });
});
