import { parseFlags } from './flags';

// One table per subcommand: the parser takes its options from it, `dfl CMD --help` and `dfl --help`
// print it, and README.md / docs/cli.md quote that print (a test keeps them equal). An option
// that is not in the table is refused by the parser, so help cannot list one it does not take.

export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  /** The value's placeholder in help (string options). */
  value?: string;
  /** One line: what it does, and its default. */
  help: string;
  /** May be given more than once (values collected in order). */
  readonly multiple?: boolean;
  readonly short?: string;
}

export interface CommandSpec<O extends Readonly<Record<string, OptionSpec>> = Readonly<Record<string, OptionSpec>>> {
  name: string;
  /** One line for `dfl --help`. */
  summary: string;
  /** Synopsis lines after `dfl NAME`, each with a short comment. */
  forms: readonly { args: string; what: string }[];
  options: O;
  /** Worked examples, each a full command line with its comment. */
  examples: readonly { command: string; what: string }[];
  /** Lines printed after the options (files written, exit codes). */
  notes?: readonly string[];
}

/** Keeps each option's literal type, so that parseArgs types the parsed values. */
function command<const O extends Readonly<Record<string, OptionSpec>>>(spec: CommandSpec<O>): CommandSpec<O> {
  return spec;
}

const HELP = { type: 'boolean', short: 'h', help: 'print this help and exit' } as const;
const SET = {
  type: 'string',
  value: 'FIELD=VALUE',
  multiple: true,
  help: 'change one field of the spec (dotted path: depth=4, init.alpha=0.05); VALUE is JSON when it parses as JSON, else text; repeatable',
} as const;
const BACKEND = { type: 'string', value: 'native|wasm|cpu', help: 'engine backend of the matrix path (default: native where built, else wasm)' } as const;
const QUIET = { type: 'boolean', help: 'no progress on stderr' } as const;

export const RUN_COMMAND = command({
  name: 'run',
  summary: 'run one experiment, or every member of a shipped preset, and print its plateau table',
  forms: [
    { args: 'SPEC.dfl.json [--out RESULT.json] [--npy DIR] [--backend native|wasm|cpu] [--set FIELD=VALUE]…', what: 'one experiment' },
    { args: '--preset NAME [--out DIR] [--set FIELD=VALUE]…', what: 'a shipped preset (one result per member)' },
  ],
  options: {
    preset: { type: 'string', value: 'NAME', help: 'run a shipped preset instead of a spec file (dfl presets lists them)' },
    out: { type: 'string', value: 'PATH', help: 'write the result JSON there (with --preset: a folder, one NAME-MEMBER.json per member)' },
    npy: { type: 'string', value: 'DIR', help: 'also write the run as NumPy files into the new folder DIR (as dfl export does)' },
    backend: BACKEND,
    set: SET,
    quiet: QUIET,
    help: HELP,
  },
  examples: [
    { command: 'dfl run examples/first.dfl.json', what: 'the shipped first experiment' },
    { command: 'dfl run examples/first.dfl.json --set depth=4 --set init.alpha=0.178 --out deeper.json', what: 'N = 4 at the same α^N ≈ 10⁻³, saved' },
    { command: 'dfl run --preset paper-identity-depths', what: "the paper's first experiment, N = 1…4" },
  ],
  notes: ['exit codes: 0 done, 2 bad input (one line on stderr), 3 diverged, 130 cancelled (Ctrl-C)'],
});

export const PRESETS_COMMAND = command({
  name: 'presets',
  summary: 'list the shipped presets and what each shows',
  forms: [{ args: '', what: 'the presets and what they show' }],
  options: { help: HELP },
  examples: [{ command: 'dfl presets', what: 'then: dfl run --preset NAME' }],
});

export const SWEEP_COMMAND = command({
  name: 'sweep',
  summary: 'many runs over axes of a base spec, on worker threads or as a Slurm array job (resumable)',
  forms: [
    { args: 'SWEEP.dfl-sweep.json --out DIR [--jobs J] [--set FIELD=VALUE]…', what: 'every run of a sweep (resumable)' },
    { args: 'SWEEP.dfl-sweep.json --out DIR --slurm [--partition P] [--array-size K] [--time T]', what: 'as a Slurm array job' },
    { args: 'SWEEP.dfl-sweep.json --out DIR --shard I/K', what: 'shard I of K (what each array task runs)' },
    { args: '--collect DIR [--resubmit]', what: 'the summary once all shards are in' },
    { args: '--rerun HASH --out DIR', what: "one run's whole result, DIR/run-HASH.json, replayed" },
  ],
  options: {
    out: { type: 'string', value: 'DIR', help: 'the output folder (new, empty, or this sweep\'s): runs.jsonl, summary.json, summary.csv, sweep/' },
    jobs: { type: 'string', value: 'J', help: 'worker threads (default: the number of cores; 1 with --slurm)' },
    backend: BACKEND,
    set: { ...SET, help: 'change one field of the base spec (dotted path as in axes: depth=4, init.alpha=0.05); not a field an axis sets; repeatable' },
    quiet: QUIET,
    progress: { type: 'string', value: 'json', help: 'one JSON line {done,total,failed} on stderr as runs finish' },
    shard: { type: 'string', value: 'I/K', help: 'run only shard I of K (every K-th run from the I-th)' },
    slurm: { type: 'boolean', help: 'submit the sweep as a Slurm array job (sbatch) instead of running it here' },
    partition: { type: 'string', value: 'P', help: 'Slurm partition (with --slurm)' },
    'array-size': { type: 'string', value: 'K', help: 'number of Slurm array tasks (with --slurm; default min(runs, 8))' },
    time: { type: 'string', value: 'T', help: 'Slurm time limit per task, such as 30:00 (with --slurm)' },
    collect: { type: 'string', value: 'DIR', help: 'build the summary of a Slurm sweep folder and list missing shards' },
    resubmit: { type: 'boolean', help: 'with --collect: resubmit the failed shards' },
    'base-dir': { type: 'string', value: 'DIR', help: "folder that relative matrix-file paths of the spec start from (default: the sweep file's)" },
    results: { type: 'boolean', help: "also write each run's whole result, run-HASH.json (the format of dfl run)" },
    rerun: { type: 'string', value: 'HASH', help: 'run one run of the sweep in --out again (its hash or run number) and write its whole result there' },
    help: HELP,
  },
  examples: [
    { command: 'dfl sweep sweeps/plateau-alpha-depth.dfl-sweep.json --out alpha-depth', what: 'plateau length over α and N' },
    { command: 'dfl sweep --rerun 12 --out alpha-depth', what: 'the whole result of run 12, as alpha-depth/run-HASH.json' },
    { command: 'dfl sweep sweeps/plateau-alpha-depth.dfl-sweep.json --out quick --set steps=2000', what: 'the same, shorter runs' },
  ],
  notes: [
    'runs.jsonl: one line per finished run, appended as runs finish (what a rerun resumes from; pandas.read_json(f, lines=True));',
    'summary.csv: one row per run, one column per axis and measure (docs/sweeps.md lists the columns);',
    'pandas.read_csv("DIR/summary.csv") loads it. Exit codes: 0 all runs in, 1 some failed or missing, 2 bad input, 130 cancelled.',
  ],
});

export const CHECK_COMMAND = command({
  name: 'check',
  summary: "the theory's properties (docs/theory.md) and claim files (docs/claims.md) on generated specs; exit 1 on a failure",
  forms: [
    { args: '[--runs N] [--seed S] [--property NAME] [--max-n N]', what: 'the theory and the shipped claims, exit 1 on a failure' },
    { args: 'CLAIM.dfl-claim.json… [--runs N] [--seed S]', what: 'your claims: shrunk counterexamples, exit 1 on a failure' },
  ],
  options: {
    runs: { type: 'string', value: 'N', help: "generated specs per property (default 100) and per claim (default: the claim's runs)" },
    seed: { type: 'string', value: 'S', help: 'seed of the generator (default: random, printed)' },
    property: { type: 'string', value: 'NAME', help: 'only this property or shipped claim' },
    'max-n': { type: 'string', value: 'N', help: 'largest n of the theory properties\' generated specs (default 200)' },
    'counterexample-dir': { type: 'string', value: 'DIR', help: "write each failing claim's counterexample there (default: beside the claim file; the current folder for shipped claims)" },
    json: { type: 'boolean', help: 'print the full report as JSON instead of lines' },
    help: HELP,
  },
  examples: [
    { command: 'dfl check --runs 100 --seed 3', what: "the README's table" },
    { command: 'dfl check claims/examples/entropy-rank-never-rises.dfl-claim.json --runs 200 --seed 1', what: 'a false claim, refuted with a shrunk counterexample' },
  ],
  notes: [
    'A failing claim writes NAME.counterexample.dfl.json, a spec that dfl run replays to the same violation.',
    'Exit status: 0 every property and claim holds, 1 one fails, 2 a bad claim or option (one line: file:line:column: what is wrong).',
  ],
});

export const REPORT_COMMAND = command({
  name: 'report',
  summary: 'a self-contained HTML report of results and sweep folders, with optional PNG/SVG figures',
  forms: [{ args: 'RESULT.json|SWEEP_DIR… --html OUT.html [--compare] [--figures DIR [--size WxH] [--dpi N]]', what: 'a self-contained report (+ SVG/PDF/PNG)' }],
  options: {
    html: { type: 'string', value: 'OUT.html', help: 'the report file to write (required)' },
    compare: { type: 'boolean', help: 'overlay all the results given in one comparison figure (they may differ in one or two fields)' },
    figures: { type: 'string', value: 'DIR', help: 'also save every panel, grid and comparison as SVG, PDF and PNG there (needs Chromium)' },
    size: { type: 'string', value: 'WxH', help: 'CSS-pixel size of a single panel in --figures (default 480x330)' },
    dpi: { type: 'string', value: 'N', help: 'resolution of the PNG files of --figures (default 300)' },
    help: HELP,
  },
  examples: [
    { command: 'dfl report first.json --html first.html', what: 'plots, plateau table and findings of one run' },
    { command: 'dfl run --preset paper-identity-depths --out depths && dfl report depths/*.json --html d.html --figures figs', what: 'N = 1…4 overlaid, every figure as SVG, PDF and PNG' },
  ],
});

export const EXPORT_COMMAND = command({
  name: 'export',
  summary: 'a result as NumPy files: every logged series, the plateaus, the spec, and the files that replay the run',
  forms: [{ args: 'RESULT.json --npy DIR', what: 'every series, plateau and replay file for NumPy (docs/replay.md)' }],
  options: {
    npy: { type: 'string', value: 'DIR', help: 'the new folder to write (required; an existing one is refused)' },
    help: HELP,
  },
  examples: [{ command: 'dfl export first.json --npy first-npy && python3 examples/plot_run.py first-npy', what: 'redraw the run in matplotlib' }],
});

export const SCHEMA_COMMAND = command({
  name: 'schema',
  summary: 'print the JSON Schema of experiment files (*.dfl.json)',
  forms: [{ args: '', what: 'the JSON Schema of *.dfl.json' }],
  options: { help: HELP },
  examples: [{ command: 'dfl schema > experiment.schema.json', what: 'for an editor other than VS Code' }],
});

export const COMMANDS: readonly CommandSpec[] = [RUN_COMMAND, PRESETS_COMMAND, SWEEP_COMMAND, CHECK_COMMAND, REPORT_COMMAND, EXPORT_COMMAND, SCHEMA_COMMAND];

function flag(name: string, o: OptionSpec): string {
  return `${o.short ? `-${o.short}, ` : ''}--${name}${o.value ? ` ${o.value}` : ''}`;
}

/** Where the comments of synopsis lines start (longer lines put theirs two spaces after). */
const SYNOPSIS_COLUMN = 60;

/** The synopsis lines of one command (the part of `dfl --help` and README that names it). */
function synopsis(command: CommandSpec): string[] {
  return command.forms.map((f) => `${`dfl ${command.name}${f.args ? ` ${f.args}` : ''}`.padEnd(SYNOPSIS_COLUMN)}  # ${f.what}`);
}

/** `dfl --help`: every command's synopsis. */
export function mainHelp(): string {
  return [
    'dfl: gradient descent on deep matrix factorizations, and the theory that predicts its plateaus',
    '',
    'usage:',
    ...COMMANDS.flatMap((c) => synopsis(c).map((l) => `  ${l}`)),
    '',
    'dfl COMMAND --help lists every option of COMMAND with an example.',
  ].join('\n');
}

/** `dfl CMD --help`: synopsis, every option of the table, examples. */
export function commandHelp(command: CommandSpec): string {
  const rows = Object.entries(command.options).map(([name, o]) => [flag(name, o), o.help]);
  const width = Math.max(...rows.map(([f]) => f.length));
  return [
    `dfl ${command.name}: ${command.summary}`,
    '',
    'usage:',
    ...synopsis(command).map((l) => `  ${l}`),
    '',
    'options:',
    ...rows.map(([f, h]) => `  ${f.padEnd(width)}  ${h}`),
    '',
    `example${command.examples.length > 1 ? 's' : ''}:`,
    ...command.examples.map((e) => `  ${e.command}   # ${e.what}`),
    ...(command.notes ? ['', ...command.notes] : []),
  ].join('\n');
}

/**
 * Parses `args` against the command's table (the table is the parser's configuration: an option
 * it lacks is refused). `--help`/`-h` anywhere prints the help and returns undefined (exit 0),
 * even beside arguments that would be refused.
 */
export function parseCommand<O extends Readonly<Record<string, OptionSpec>>>(command: CommandSpec<O>, args: readonly string[]) {
  if (args.some((a) => a === '--help' || a === '-h')) {
    process.stdout.write(`${commandHelp(command)}\n`);
    return undefined;
  }
  return parseFlags(args, command.options, true);
}
