// Workspace trust (package.json `capabilities.untrustedWorkspaces.supported = "limited"`): in an
// untrusted workspace, experiment and matrix files are read (schema validation, opening, saved
// runs and reports) but never run. Pure: the controller passes `vscode.workspace.isTrusted`.
//
// What runs there anyway is what ships with the extension: the presets, the MNIST subset and the
// theory harness (Check Theory, the Test Explorer, its counterexamples), and what the user types
// into the Lab's form. None of it comes from the workspace, and the settings that size or place
// those runs are `restrictedConfigurations`, so VS Code ignores an untrusted workspace's values.
// Claim files (`*.dfl-claim.json`) run there too: a claim is data (generators over spec fields
// and expressions), its expressions are evaluated by a safe expression library with no access
// to the host, so checking one runs no workspace code; a file target it names is still read
// under the rule above.

import { COMMANDS } from '../ids';

/** Commands whose input is always a workspace file: disabled and hidden when untrusted (manifest). */
export const WORKSPACE_RUN_COMMANDS = [COMMANDS.runExperimentFile, COMMANDS.openExperimentInLab, COMMANDS.loadTargetMatrix, COMMANDS.runSweep] as const;

/** Where a run's input comes from. */
export type RunInput =
  /** an experiment (`*.dfl.json`) or matrix file: workspace content */
  | 'workspace'
  /** shipped with the extension (presets, MNIST subset, theory harness) or typed in the Lab */
  | 'bundled';

export const MANAGE_TRUST_COMMAND = 'workbench.trust.manage';
export const MANAGE_TRUST_LABEL = 'Manage Workspace Trust';

/** Thrown by a run entry point that refuses; the command wrapper shows it as a warning. */
export class UntrustedWorkspaceError extends Error {}

/** The one message of every refusal: `what` is the entry point ("Run Experiment File"). */
export function untrustedMessage(what: string): string {
  return `${what} needs a trusted workspace: the files of an untrusted workspace are validated and shown, never run (presets and Check Theory still run).`;
}

/** Why a run may not start, or undefined when it may. */
export function trustRefusal(trusted: boolean, input: RunInput, what: string): string | undefined {
  return trusted || input === 'bundled' ? undefined : untrustedMessage(what);
}
