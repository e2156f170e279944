import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { main } from '../../cli/dfl';
import { PARSER_HANG_BOUND_MS } from '../fuzzBudget';
import type { CapturedOutput } from './cliOutput';

// Checks shared by the hardening tests: a refusal is one "dfl: …" line, the documented exit code,
// no internal error or stack, within the parser hang bound; nothing left behind.

/** Runs `dfl` in this process; checks one line, exit `code`, and the hang bound of a refusal. */
export async function refused(io: CapturedOutput, args: string[], message: string | RegExp, code = 2): Promise<void> {
  io.err = '';
  const started = Date.now();
  expect(await main(args), `dfl ${args.join(' ')}: ${io.err}`).toBe(code);
  expect(Date.now() - started).toBeLessThan(PARSER_HANG_BOUND_MS);
  expectOneLine(io.err, message);
}

/** `stderr` is one "dfl: " line matching `message`, with no internal error or stack trace. */
export function expectOneLine(stderr: string, message: string | RegExp): void {
  const lines = stderr.trim().split('\n');
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^dfl: /);
  expect(stderr).not.toMatch(/internal error|\n\s+at /);
  if (typeof message === 'string') expect(stderr).toContain(message);
  else expect(stderr).toMatch(message);
}

/** Files in `folder` that an atomic write left behind. */
export const temporaries = (folder: string) => readdirSync(folder).filter((f) => f.endsWith('.tmp'));

export interface Spawned {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  stdout: string;
  /** Milliseconds from the last signal sent (or the start) to the exit. */
  afterLastSignal: number;
}

export interface SpawnOptions {
  cwd: string;
  /** Killed with SIGKILL past this (a hang then fails the test). */
  boundMs?: number;
  /** Milliseconds after the start at which to send SIGINT. */
  signals?: number[];
  /** Sends one SIGINT once stderr matches this (the command has reached that stage). */
  interruptWhen?: RegExp;
  env?: NodeJS.ProcessEnv;
  uid?: number;
  gid?: number;
  /** stdout: a pipe (default) or a file descriptor such as /dev/full's. */
  stdout?: number;
}

/** Runs the built `dfl` in a child process. */
export function spawnDfl(args: string[], options: SpawnOptions): Promise<Spawned> {
  expect(existsSync('dist/cli.js'), 'the CLI is built by npm run build').toBe(true);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.resolve('bin/dfl.js'), ...args], {
      env: { ...process.env, ...options.env },
      uid: options.uid,
      gid: options.gid,
      cwd: options.cwd,
      stdio: ['ignore', options.stdout ?? 'pipe', 'pipe'],
    });
    let stderr = '';
    let stdout = '';
    let last = Date.now();
    let interrupted = false;
    child.stderr!.on('data', (d) => {
      stderr += String(d);
      if (options.interruptWhen && !interrupted && options.interruptWhen.test(stderr)) {
        interrupted = true;
        last = Date.now();
        child.kill('SIGINT');
      }
    });
    child.stdout?.on('data', (d) => (stdout += String(d)));
    for (const at of options.signals ?? [])
      setTimeout(() => {
        last = Date.now();
        child.kill('SIGINT');
      }, at);
    const killer = setTimeout(() => child.kill('SIGKILL'), options.boundMs ?? 30_000);
    child.on('exit', (code, signal) => {
      clearTimeout(killer);
      resolve({ code, signal, stderr, stdout, afterLastSignal: Date.now() - last });
    });
  });
}
