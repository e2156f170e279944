import type * as vscode from 'vscode';
import { DflController } from './controller';

// Entry point of dist/extension.js. Activation (package.json `activationEvents`): the commands,
// the side view, the Lab and report panels' serializers and workspaces with `*.dfl.json` files.

let controller: DflController | undefined;

export function activate(context: vscode.ExtensionContext) {
  controller = new DflController(context);
  context.subscriptions.push(controller);
  return controller.api();
}

export function deactivate(): void {
  controller = undefined;
}
