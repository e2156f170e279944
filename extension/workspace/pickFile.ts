import path from 'node:path';
import * as vscode from 'vscode';

// Which workspace file a command runs on: its argument (CodeLens, menus), the active editor's
// file, else one picked among the workspace's files of that kind.

export interface FilePick {
  /** `.dfl.json`, `.dfl-sweep.json` */
  suffix: string;
  title: string;
  placeHolder: string;
  /** Shown when the workspace has no such file. */
  none: string;
}

export async function pickWorkspaceFile(uri: unknown, pick: FilePick): Promise<vscode.Uri | undefined> {
  if (uri instanceof vscode.Uri) return uri;
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active && active.path.endsWith(pick.suffix)) return active;
  const files = await vscode.workspace.findFiles(`**/*${pick.suffix}`, '**/node_modules/**', 200);
  if (files.length === 0) {
    void vscode.window.showInformationMessage(pick.none);
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    files.map((f) => ({ label: path.basename(f.fsPath), description: vscode.workspace.asRelativePath(f), uri: f })),
    { title: pick.title, placeHolder: pick.placeHolder },
  );
  return picked?.uri;
}
