import * as vscode from 'vscode';
import { MANAGE_TRUST_COMMAND, MANAGE_TRUST_LABEL, UntrustedWorkspaceError } from './workspace/trust';

// The one error wrapper of the extension host: commands and the Lab's messages run through
// `guard`, so a failure is logged and shown once and never becomes an unhandled rejection.

export class ErrorReporter {
  constructor(private readonly output: vscode.LogOutputChannel) {}

  /** Runs `fn`; a failure is reported (see `report`) and gives undefined. */
  async guard<T>(what: string, fn: () => T | Promise<T>): Promise<T | undefined> {
    try {
      return await fn();
    } catch (error) {
      this.report(what, error);
      return undefined;
    }
  }

  /** A trust refusal as a warning with "Manage Workspace Trust"; anything else as an error. */
  report(what: string, error: unknown): void {
    const message = (error as Error)?.message ?? String(error);
    if (error instanceof UntrustedWorkspaceError) {
      this.output.warn(`${what} refused: ${message}`);
      void vscode.window.showWarningMessage(`Deep Factorization: ${message}`, MANAGE_TRUST_LABEL).then((pick) => (pick ? vscode.commands.executeCommand(MANAGE_TRUST_COMMAND) : undefined));
      return;
    }
    this.output.error(`${what}: ${message}`);
    void vscode.window.showErrorMessage(`Deep Factorization: ${message}`);
  }

  /** Registers a command whose failures are reported. */
  command(id: string, fn: (...args: any[]) => unknown): vscode.Disposable {
    return vscode.commands.registerCommand(id, (...args: unknown[]) => this.guard(id, () => fn(...args)));
  }
}
