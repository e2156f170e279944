import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../core/result';
import { interpretWebviewMessage, safeExportName } from '../../extension/panels/labMessages';
import { DEFAULT_SETTINGS, isSafeRelativeFolder, presetWithSettings, readSettings, specWithSettings } from '../../extension/settings';
import { readWorkspaceFile, resolveWorkspaceFile } from '../../extension/workspace/workspaceFiles';
import { smallResult } from './fixtures';

let result: RunResult;
beforeAll(async () => {
  result = await smallResult();
});

describe('messages from the Lab page', () => {
  it('refuses malformed messages with a reason that names the field, and acts on none of them', () => {
    expect(interpretWebviewMessage({ type: 'ready', protocol: 1, backend: 'vulkan' })).toMatchObject({ kind: 'invalid', reason: expect.stringMatching(/backend/) });
    expect(interpretWebviewMessage({ type: 'runCommand', command: 'workbench.action.terminal.new' })).toMatchObject({ kind: 'invalid' });
    expect(interpretWebviewMessage('ready')).toMatchObject({ kind: 'invalid' });
    expect(interpretWebviewMessage({ type: 'export', format: 'json', fileName: 'a.json', encoding: 'utf8', data: 'x', path: '/etc/passwd' })).toMatchObject({ kind: 'invalid' });
  });

  it('turns a finished run into a save, a needTarget into a supplyTarget', () => {
    expect(interpretWebviewMessage({ type: 'done', runId: 1, result })).toMatchObject({ kind: 'save', result: { steps: result.steps } });
    expect(interpretWebviewMessage({ type: 'needTarget', spec: { ...result.spec, n: 28, target: { kind: 'mnist', index: 3 } } })).toMatchObject({ kind: 'supplyTarget', spec: { target: { kind: 'mnist', index: 3 } } });
    expect(interpretWebviewMessage({ type: 'state', state: 'running', paused: false, backend: 'webgl', step: 5, steps: 10 })).toEqual({ kind: 'state', state: 'running', paused: false, backend: 'webgl', progress: { step: 5, steps: 10 } });
  });

  it('decodes exports and reduces the suggested file name to a safe base name', () => {
    const png = interpretWebviewMessage({ type: 'export', format: 'png', fileName: '../../.ssh/authorized_keys', encoding: 'base64', data: Buffer.from([1, 2, 3]).toString('base64') });
    expect(png).toMatchObject({ kind: 'export', fileName: 'authorized_keys.png' });
    expect(Array.from((png as { bytes: Uint8Array }).bytes)).toEqual([1, 2, 3]);
    expect(safeExportName('..', 'csv')).toBe('lab.csv');
    expect(safeExportName('lab N=3.svg', 'svg')).toBe('lab N-3.svg');
    expect(safeExportName('C:\\x\\y.json', 'json')).toBe('y.json');
  });
});

describe('workspace files', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'dfl-ws-'));
  const outside = mkdtempSync(path.join(tmpdir(), 'dfl-out-'));
  mkdirSync(path.join(root, 'data'));
  writeFileSync(path.join(root, 'data', 'A.csv'), '1,0\n0,1\n');
  writeFileSync(path.join(outside, 'secret.csv'), '1\n');
  symlinkSync(path.join(outside, 'secret.csv'), path.join(root, 'data', 'link.csv'));

  it('resolves paths relative to the experiment file inside the workspace', () => {
    expect(resolveWorkspaceFile('A.csv', path.join(root, 'data'), [root])).toBe(path.join(root, 'data', 'A.csv'));
    expect(resolveWorkspaceFile('data/A.csv', root, [root])).toBe(path.join(root, 'data', 'A.csv'));
  });

  it('refuses paths that leave the workspace, by .., by absolute path or by a symbolic link', () => {
    expect(() => resolveWorkspaceFile('../../secret.csv', path.join(root, 'data'), [root])).toThrow(/outside the workspace/);
    expect(() => resolveWorkspaceFile(path.join(outside, 'secret.csv'), root, [root])).toThrow(/outside the workspace/);
    expect(() => resolveWorkspaceFile('data/link.csv', root, [root])).toThrow(/outside the workspace/);
    expect(() => resolveWorkspaceFile('A.csv', root, [])).toThrow(/open a folder/);
  });
});

describe('settings', () => {
  it('reads valid values and falls back to the defaults for bad ones', () => {
    const values: Record<string, unknown> = { backend: 'cpu', 'logging.points': 50, effectiveRank: 'stable', epsilon: -1, 'propertyTests.runs': 3.5, runsFolder: '../outside' };
    const s = readSettings((k) => values[k]);
    expect(s).toMatchObject({ backend: 'cpu', logPoints: 50, effectiveRank: 'stable', epsilon: DEFAULT_SETTINGS.epsilon, propertyRuns: DEFAULT_SETTINGS.propertyRuns, runsFolder: DEFAULT_SETTINGS.runsFolder });
    expect(readSettings(() => undefined)).toEqual(DEFAULT_SETTINGS);
  });

  it('only accepts runs folders inside the workspace', () => {
    expect(isSafeRelativeFolder('.dfl/runs')).toBe(true);
    expect(isSafeRelativeFolder('/tmp/runs')).toBe(false);
    expect(isSafeRelativeFolder('a/../../b')).toBe(false);
    expect(isSafeRelativeFolder('C:\\runs')).toBe(false);
  });

  it('fills what an experiment file leaves out from the settings; the file wins; $schema is ignored', () => {
    const s = { ...DEFAULT_SETTINGS, logPoints: 50, effectiveRank: 'stable' as const, epsilon: 0.2 };
    const raw = { $schema: './x.json', n: 4, depth: 2, target: { kind: 'spectrum', eigenvalues: [2, 1] }, init: { kind: 'identity', alpha: 0.1 }, stepSize: 0.01, steps: 10, epsilon: 0.3 };
    const spec = specWithSettings(raw, s);
    expect(spec.log).toEqual({ points: 50, scale: 'log' });
    expect(spec.effectiveRank).toBe('stable');
    expect(spec.epsilon).toBe(0.3);
    expect(() => specWithSettings({ ...raw, depht: 3 }, s, 'exp.dfl.json')).toThrow(/exp\.dfl\.json: unknown field "depht"/);
    expect(presetWithSettings(spec, { ...s, logPoints: 7 }).log).toEqual({ points: 7, scale: 'log' });
  });
});

describe('workspace file reads (size cap, regular files only)', () => {
  it('refuses a FIFO and a link to a device inside the workspace, reads a regular file', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'dfl-ws-'));
    spawnSync('mkfifo', [path.join(root, 'pipe.csv')]);
    symlinkSync('/dev/zero', path.join(root, 'zero.csv'));
    writeFileSync(path.join(root, 'A.csv'), '1,0\n0,1\n');
    expect(() => readWorkspaceFile('pipe.csv', root, [root])).toThrow('pipe.csv: a named pipe, not a regular file');
    expect(Buffer.from(readWorkspaceFile('A.csv', root, [root])).toString()).toBe('1,0\n0,1\n');
    // /dev/zero lies outside the workspace once the link is followed.
    expect(() => readWorkspaceFile('zero.csv', root, [root])).toThrow(/outside the workspace|not a regular file/);
  });
});
