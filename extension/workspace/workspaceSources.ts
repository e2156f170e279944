import path from 'node:path';
import * as vscode from 'vscode';
import type { ExperimentSpec } from '../../core/spec/schema';
import type { TargetSources } from '../../core/targets/target';
import type { RunSettings } from '../../property-tests/runner';
import type { Compute } from '../compute/computeLoader';
import { CONFIG_SECTION } from '../ids';
import { mnistDigitFrom } from '../../node/mnistSubset';
import { readSettings, type Settings } from '../settings';
import { trustRefusal, UntrustedWorkspaceError, type RunInput } from './trust';
import { readWorkspaceFile } from './workspaceFiles';

// What runs read from the workspace: the settings, workspace trust, matrix files (inside the
// workspace folders only) and the shipped MNIST subset.

export class WorkspaceSources {
  constructor(
    /** The installed extension's dist/ folder. */
    readonly distFolder: string,
    private readonly compute: () => Compute,
  ) {}

  settings(): Settings {
    const config = vscode.workspace.getConfiguration(CONFIG_SECTION);
    return readSettings((key) => config.get(key));
  }

  propertySettings(): RunSettings {
    const s = this.settings();
    return { runs: s.propertyRuns, seed: s.propertySeed, maxN: s.propertyMaxN };
  }

  /** Why `what` may not run on `input` in this workspace, or undefined when it may. */
  refusal(input: RunInput, what: string): string | undefined {
    return trustRefusal(vscode.workspace.isTrusted, input, what);
  }

  /** Throws (shown as a warning by the error wrapper) when `what` may not run here. */
  requireTrust(input: RunInput, what: string): void {
    const reason = this.refusal(input, what);
    if (reason) throw new UntrustedWorkspaceError(reason);
  }

  roots(): string[] {
    return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
  }

  /** Where relative paths of presets and counterexamples go: the first folder, else the cwd. */
  defaultBase(): string {
    return this.roots()[0] ?? process.cwd();
  }

  /** Where save dialogs start. */
  defaultUri(): vscode.Uri {
    return vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(this.defaultBase());
  }

  /** Files relative to `baseDir`, inside the workspace only; MNIST from the shipped subset. */
  targetSources(baseDir: string): TargetSources {
    const roots = this.roots();
    return {
      // The one place runs read workspace files: refused when untrusted, whatever started the run.
      readFile: (file) => {
        this.requireTrust('workspace', `A run that reads ${file}`);
        return readWorkspaceFile(file, baseDir, roots);
      },
      mnistDigit: mnistDigitFrom(path.join(this.distFolder, 'mnist-subset.json')),
    };
  }

  /** Ŵ for a spec the Lab page cannot build itself (file and MNIST targets); undefined otherwise. */
  targetFor(spec: ExperimentSpec, baseDir: string): number[][] | undefined {
    return spec.target.kind === 'file' || spec.target.kind === 'mnist' ? this.compute().targetRows(spec, this.targetSources(baseDir)) : undefined;
  }
}
