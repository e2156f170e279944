import { existsSync } from 'node:fs';
import path from 'node:path';
import { InputError, RunCancelledError } from '../core/errors';
import { recordExperiment } from '../core/engine/runExperiment';
import { DEFAULT_NODE_BACKEND, exitOnSecondInterrupt, NODE_BACKENDS, nodeTargetSources, useNodeBackend, type NodeBackend } from '../node/platform';
import { findPreset, listPresets } from '../core/presets';
import { plainArray, runResultJson, toRunResult, type RecordedRun } from '../core/trajectory/recorder';
import { parseJson, parseSpecText } from '../core/spec/parseSpec';
import type { ExperimentSpec } from '../core/spec/schema';
import { slug } from '../core/text';
import { checkCurrentFolder, checkNewOutputFolder, checkOutputFile, checkOutputFolder, partialResultPath, readTextFile, writeFileAtomic } from '../node/files';
import { noPositionals } from './flags';
import { mainHelp, parseCommand, PRESETS_COMMAND, RUN_COMMAND, SCHEMA_COMMAND } from './options';
import { applySettingsToSpec, parseSetting } from './setFields';
import { summarize, table } from './format';
import { progressBar } from './progress';
import { sweepCommand } from './sweep/command';
import { printable, printableLine } from './terminal';


/**
 * Ctrl-C: the first one cancels the run (it stops at the next piece of work and keeps the
 * trajectory); the second ends the process at once.
 */
function cancelOnFirstSigint(controller: AbortController): () => void {
  const onSigint = () => {
    controller.abort();
    process.stderr.write('\ndfl: cancelling (Ctrl-C again quits at once)\n');
  };
  process.once('SIGINT', onSigint);
  // Where the native module is built, a second Ctrl-C ends the process even while the main thread
  // is busy (Node's own listener would wait for it); without it, once this listener is gone.
  exitOnSecondInterrupt();
  return () => process.off('SIGINT', onSigint);
}

async function runCommand(args: string[]): Promise<number> {
  const parsed = parseCommand(RUN_COMMAND, args);
  if (!parsed) return 0;
  const { values, positionals } = parsed;
  const settings = (values.set ?? []).map(parseSetting);
  const backend = (values.backend ?? DEFAULT_NODE_BACKEND) as NodeBackend;
  if (!NODE_BACKENDS.includes(backend)) throw new InputError(`--backend: unknown backend ${JSON.stringify(values.backend)} (expected ${NODE_BACKENDS.join(' or ')})`);
  let specs: { label: string; spec: ExperimentSpec; source?: string }[];
  let baseDir = process.cwd();
  const inputs: string[] = [];
  if (values.preset !== undefined) {
    if (positionals.length > 0) throw new InputError('dfl run: give a spec file or --preset, not both');
    specs = findPreset(values.preset).specs.map((spec, i) => ({ label: spec.name ?? `${values.preset} #${i + 1}`, spec: settings.length > 0 ? applySettingsToSpec(spec, settings) : spec }));
  } else {
    if (positionals.length !== 1) throw new InputError(`dfl run: expected one spec file or --preset NAME (got ${positionals.length} files; dfl run --help)`);
    const file = positionals[0];
    const text = readTextFile(file);
    const parsedFile = parseSpecText(text, file);
    // Settings go on the file's own JSON (not on its defaults filled in): log.every=10 then
    // replaces log.points instead of meeting it.
    const spec = settings.length > 0 ? applySettingsToSpec(parseJson(text, file), settings) : parsedFile;
    specs = [{ label: spec.name ?? path.basename(file), spec, source: file }];
    baseDir = path.dirname(path.resolve(file));
    inputs.push(file);
    if (spec.target.kind === 'file') inputs.push(path.resolve(baseDir, spec.target.path));
  }
  // Every output path is checked before any work: a run of hours must not fail at its end.
  const outputs = values.out === undefined ? [] : values.preset !== undefined ? specs.map((s) => path.join(values.out!, `${values.preset}-${slug(s.label)}.json`)) : [values.out];
  if (values.out !== undefined) {
    if (values.preset !== undefined) checkOutputFolder(values.out, '--out');
    for (const file of outputs) checkOutputFile(file, { inputs, flag: '--out' });
  }
  if (values.npy !== undefined) checkNewOutputFolder(values.npy, '--npy', values.out === undefined ? [] : [values.out, ...outputs]);
  const accelerators = await useNodeBackend(backend);

  const controller = new AbortController();
  const stopListening = cancelOnFirstSigint(controller);
  // Trajectories stay in their typed columns: the result files are written from them (the JSON of
  // a run logged at every step is ~2.5× its numbers).
  const results: RecordedRun[] = [];
  try {
    for (const { label, spec, source } of specs) {
      const bar = values.quiet ? undefined : progressBar(label);
      const result = await recordExperiment(spec, {
        sources: nodeTargetSources(baseDir),
        accelerators,
        signal: controller.signal,
        abortSetup: true,
        onProgress: ({ step, steps, loss }) => bar?.update(step, steps, loss),
      }).catch((error: unknown) => {
        bar?.done();
        // Name the spec file in problems found while building the run (engine choice, matrix files).
        if (error instanceof InputError && source) throw new InputError(`${source}: ${error.message}`);
        if (error instanceof RunCancelledError && results.length === 0) throw error;
        if (error instanceof RunCancelledError) return undefined;
        throw error;
      });
      bar?.done();
      if (!result) break;
      if (values.preset !== undefined) result.head.preset = values.preset;
      results.push(result);
      const { trajectory } = result;
      process.stdout.write(`${summarize({ ...result.head, steps: plainArray(trajectory.steps), loss: plainArray(trajectory.loss), effectiveRank: plainArray(trajectory.effectiveRanks) }, label)}\n\n`);
      if (controller.signal.aborted) break;
    }
  } finally {
    stopListening();
  }

  if (values.out !== undefined) {
    results.forEach((result, i) => writeResult(outputs[i], result));
    const written = results.filter((r) => r.head.stopped.kind !== 'cancelled').length;
    if (values.preset !== undefined && written > 0) process.stderr.write(`wrote ${written} result${written > 1 ? 's' : ''} to ${printable(values.out)}\n`);
  }
  if (values.npy !== undefined) {
    const npy = values.npy;
    const { writeReplayFiles } = await import('./export');
    results.forEach((result, i) => writeReplayFiles(toRunResult(result), results.length > 1 ? path.join(npy, slug(specs[i].label)) : npy, baseDir));
    process.stderr.write(`wrote the replay files to ${printable(npy)}\n`);
  }
  const stopped = results.map((r) => r.head.stopped.kind);
  return stopped.includes('diverged') ? 3 : stopped.includes('cancelled') || results.length < specs.length ? 130 : 0;
}

/**
 * A finished (completed or diverged) result replaces `file`; a cancelled one never does: it goes
 * beside it, as `NAME.partial.json`, so the user's earlier result stays as it was.
 */
function writeResult(file: string, result: RecordedRun): void {
  if (result.head.stopped.kind !== 'cancelled') {
    writeFileAtomic(file, runResultJson(result));
    process.stderr.write(`wrote ${printable(file)}\n`);
    return;
  }
  const partial = partialResultPath(file);
  checkOutputFile(partial, { flag: '--out' });
  writeFileAtomic(partial, runResultJson(result));
  const kept = existsSync(file) ? `${file} is unchanged` : `nothing written to ${file}`;
  process.stderr.write(`cancelled at step ${result.head.stopped.step}: the partial result is in ${printable(partial)}; ${printable(kept)}\n`);
}

function presetsCommand(args: string[]): number {
  const parsed = parseCommand(PRESETS_COMMAND, args);
  if (!parsed) return 0;
  noPositionals('presets', parsed.positionals);
  // One line per preset: the description's first sentence, cut to a terminal's width
  // (`dfl run --preset NAME` prints the rest).
  const width = process.stdout.isTTY ? process.stdout.columns : Infinity;
  const presets = listPresets();
  const nameWidth = Math.max(...presets.map((p) => p.name.length), 'preset'.length);
  const room = Math.max(20, width - nameWidth - 'runs'.length - 4);
  const summary = (text: string) => {
    const first = (/^.*?[.;](?=\s|$)/.exec(text)?.[0] ?? text).replace(/;$/, ' …');
    return first.length <= room ? first : `${first.slice(0, room - 1)}…`;
  };
  const rows = presets.map((p) => [p.name, String(p.specs.length), summary(p.description)]);
  process.stdout.write(`${table(['preset', 'runs', 'description'], rows, ['left', 'right', 'left'])}\n`);
  return 0;
}

async function schemaCommand(args: string[]): Promise<number> {
  const parsed = parseCommand(SCHEMA_COMMAND, args);
  if (!parsed) return 0;
  noPositionals('schema', parsed.positionals);
  const { experimentJsonSchema } = await import('../core/spec/jsonSchema');
  process.stdout.write(`${JSON.stringify(experimentJsonSchema(), null, 2)}\n`);
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    checkCurrentFolder();
    switch (command) {
      case 'run':
        return await runCommand(rest);
      case 'presets':
        return presetsCommand(rest);
      case 'sweep':
        return await sweepCommand(rest);
      // The commands below load their own libraries (fast-check, the figures) when they run:
      // the bundle's other commands start without them.
      case 'check':
        return await (await import('./check')).checkCommand(rest);
      case 'report':
        return await (await import('./report')).reportCommand(rest);
      case 'export':
        return (await import('./export')).exportCommand(rest);
      case 'schema':
        return await schemaCommand(rest);
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        process.stdout.write(`${mainHelp()}\n`);
        return command === undefined ? 2 : 0;
      default:
        throw new InputError(`unknown command ${JSON.stringify(command)} (expected run, presets, sweep, check, report, export or schema)`);
    }
  } catch (error) {
    // parseArgs reports unknown flags with a TypeError whose code starts with ERR_PARSE_ARGS.
    const code = (error as { code?: string }).code;
    if (error instanceof RunCancelledError) {
      process.stderr.write(`dfl: ${error.message}; nothing written\n`);
      return 130;
    }
    // Messages quote users' text (names, keys, paths): shown with control characters escaped.
    if (error instanceof InputError || code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`dfl: ${printableLine((error as Error).message.split('\n')[0])}\n`);
      return 2;
    }
    process.stderr.write(`dfl: internal error: ${printableLine(String((error as Error)?.message ?? error).split('\n')[0])}\n`);
    return 70;
  }
}
