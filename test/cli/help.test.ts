import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/dfl';
import { parseFlags } from '../../cli/flags';
import { commandHelp, COMMANDS, mainHelp } from '../../cli/options';
import type { RunResult } from '../../core/result';
import { captureOutput } from '../helpers/cliOutput';

// The command line explains itself: every subcommand's --help, generated from the table its
// parser uses, and the README and docs/cli.md quoting that help.

const io = captureOutput();
const root = path.join(__dirname, '..', '..');
const dir = mkdtempSync(path.join(tmpdir(), 'dfl-help-'));

/** The flags an options section of a help text lists: `--name` at the start of each row. */
function listedFlags(help: string): string[] {
  const section = help.split('\noptions:\n')[1]?.split('\n\n')[0] ?? '';
  return section.split('\n').map((line) => /--([a-z][a-z-]*)/.exec(line)?.[1] ?? '(none)');
}

describe('dfl COMMAND --help', () => {
  it.each(COMMANDS.map((c) => [c.name, c] as const))('dfl %s --help and -h exit 0 with the usage, every option and an example', async (name, command) => {
    for (const flag of ['--help', '-h']) {
      io.out = '';
      expect(await main([name, flag])).toBe(0);
      expect(io.out).toContain(`dfl ${name}`);
      expect(io.out).toMatch(/\nexamples?:\n {2}dfl /);
      expect(io.out).toBe(`${commandHelp(command)}\n`);
    }
    // Help wins over arguments that would be refused.
    io.out = '';
    expect(await main([name, '--no-such-flag', '--help'])).toBe(0);
    expect(io.out).toContain('options:');
  });

  it.each(COMMANDS.map((c) => [c.name, c] as const))('dfl %s: the help lists exactly the options the parser accepts', async (name, command) => {
    io.out = '';
    await main([name, '--help']);
    const listed = listedFlags(io.out);
    expect(listed.sort()).toEqual(Object.keys(command.options).sort());
    // Each listed flag parses; a flag not listed is refused by the same parser.
    for (const flag of listed) {
      const o = command.options[flag];
      const args = o.type === 'string' ? [`--${flag}`, 'x'] : [`--${flag}`];
      expect(() => parseFlags(args, command.options, true), `--${flag}`).not.toThrow();
    }
    expect(() => parseFlags(['--not-listed'], command.options, true)).toThrow(/Unknown option '--not-listed'/);
    // And through main: an unlisted flag is bad input, one line, exit 2.
    io.err = '';
    expect(await main([name, '--not-listed'])).toBe(2);
    expect(io.err.trim().split('\n')).toHaveLength(1);
  });

  it('dfl --help lists every subcommand and exits 0; dfl alone prints it and exits 2', async () => {
    expect(await main(['--help'])).toBe(0);
    for (const c of COMMANDS) expect(io.out).toContain(`dfl ${c.name}`);
    io.out = '';
    expect(await main([])).toBe(2);
    expect(io.out).toBe(`${mainHelp()}\n`);
  });
});

describe('README and docs/cli.md quote the help', () => {
  const synopsis = mainHelp()
    .split('\n')
    .filter((l) => l.startsWith('  dfl '))
    .map((l) => l.slice(2))
    .join('\n');
  const cliDoc = [
    '# The `dfl` command line',
    '',
    'Every subcommand\'s `--help`, generated from the option table its parser uses (`cli/options.ts`); `test/cli/help.test.ts` keeps this file equal to it.',
    '',
    ...COMMANDS.flatMap((c) => [`## dfl ${c.name}`, '', '```', commandHelp(c), '```', '']),
  ].join('\n');

  it("README's command-line block is dfl --help's synopsis", () => {
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    const block = readme.split('## The command line')[1].split('```sh\n')[1].split('\n```')[0];
    expect(block).toBe(synopsis);
    // The README's backend list is the table's.
    expect(readme).not.toMatch(/--backend cpu\|wasm/);
  });

  it('docs/cli.md is every subcommand\'s --help (DFL_UPDATE_DOCS=1 rewrites it)', () => {
    const file = path.join(root, 'docs', 'cli.md');
    if (process.env.DFL_UPDATE_DOCS === '1') writeFileSync(file, cliDoc);
    expect(readFileSync(file, 'utf8')).toBe(cliDoc);
  });
});

describe('--set FIELD=VALUE', () => {
  const example = path.join(root, 'examples', 'first.dfl.json');

  it('changes the run: depth=4 runs N = 4, and the result records it', async () => {
    const out = path.join(dir, 'deeper.json');
    expect(await main(['run', example, '--set', 'depth=4', '--set', 'steps=300', '--out', out, '--quiet'])).toBe(0);
    const result = JSON.parse(readFileSync(out, 'utf8')) as RunResult;
    expect(result.spec.depth).toBe(4);
    expect(result.spec.steps).toBe(300);
    expect(result.spec.init.alpha).toBe(0.1); // untouched fields stay
    expect(io.out).toMatch(/^first: N = 4, n = 20,/);
  });

  it('takes dotted paths and JSON values, and applies to every member of a preset', async () => {
    expect(await main(['run', example, '--set', 'init.alpha=0.05', '--set', 'target.eigenvalues=[8,4]', '--set', 'steps=200', '--quiet'])).toBe(0);
    expect(io.out).toContain('α = 0.05');
    expect(io.out).toContain('target spectrum [8, 4] + 18 zeros');
    io.out = '';
    expect(await main(['run', '--preset', 'paper-identity-depths', '--set', 'steps=100', '--quiet'])).toBe(0);
    expect(io.out.match(/completed at step 100,/g)).toHaveLength(4);
  });

  it.each([
    [['--set', 'deph=4'], '--set deph=4: unknown field "deph" in an experiment spec (fields: name, description, n, depth,'],
    [['--set', 'init.alpah=0.1'], '--set init.alpah=0.1: unknown field "alpah" in spec.init (fields: kind, alpha, seed)'],
    [['--set', 'depth=-1'], '--set depth=-1: spec.depth: value must be ≥ 1 (got -1)'],
    [['--set', 'depth'], '--set "depth": expected FIELD=VALUE'],
    [['--set', 'target.kind=lowRankPlusNoise'], `set the whole object: --set 'target={"kind": …}'`],
  ])('refuses %j in one line, exit 2', async (args, message) => {
    expect(await main(['run', example, ...args])).toBe(2);
    expect(io.err).toContain(message);
    expect(io.err.trim().split('\n')).toHaveLength(1);
    expect(io.out).toBe('');
  });

  it('applies to the base spec of a sweep, and refuses a field an axis sets', async () => {
    const sweep = path.join(dir, 'tiny.dfl-sweep.json');
    writeFileSync(
      sweep,
      JSON.stringify({
        base: { n: 6, depth: 2, target: { kind: 'spectrum', eigenvalues: [3, 1] }, init: { kind: 'identity', alpha: 0.1 }, stepSize: 0.01, steps: 1000, log: { points: 20 } },
        axes: { 'init.alpha': [0.05, 0.1] },
      }),
    );
    const out = path.join(dir, 'tiny-out');
    expect(await main(['sweep', sweep, '--out', out, '--jobs', '1', '--quiet', '--results', '--set', 'steps=50', '--set', 'depth=3'])).toBe(0);
    const results = readdirSync(out)
      .filter((f) => f.startsWith('run-'))
      .map((f) => JSON.parse(readFileSync(path.join(out, f), 'utf8')) as RunResult);
    expect(results).toHaveLength(2);
    for (const r of results) expect([r.spec.steps, r.spec.depth]).toEqual([50, 3]);
    io.err = '';
    expect(await main(['sweep', sweep, '--out', path.join(dir, 'other'), '--set', 'init.alpha=0.2'])).toBe(2);
    expect(io.err).toContain('--set init.alpha=0.2: the sweep\'s axis "init.alpha" sets this field');
    io.err = '';
    expect(await main(['sweep', sweep, '--out', path.join(dir, 'other'), '--set', 'stepsize=0.1'])).toBe(2);
    expect(io.err.trim()).toMatch(/^dfl: --set stepsize=0\.1: unknown field "stepsize"/);
  });
});
