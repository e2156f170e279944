import path from 'node:path';
import * as vscode from 'vscode';

// The workspace's claim files as items of the theory TestController (test-provider-sample's
// file items): found on the first resolve, then kept up to date by a file watcher (a new file
// appears, an edited one is relabelled and its results marked outdated, a deleted one goes).
// Labels come from a plain JSON read of the file; the engine parses and checks it when it runs.

export const CLAIM_FILE_SUFFIX = '.dfl-claim.json';
const CLAIM_GLOB = `**/*${CLAIM_FILE_SUFFIX}`;

/** A claim item's id: the file's URI, prefixed so that it never collides with a property's name. */
export function claimItemId(uri: vscode.Uri): string {
  return `claim:${uri.toString()}`;
}

export function isClaimFile(uri: vscode.Uri): boolean {
  return uri.scheme === 'file' && uri.fsPath.endsWith(CLAIM_FILE_SUFFIX);
}

/** The claim file's text: the open editor's (unsaved edits included), else the file's. */
export async function readClaimText(uri: vscode.Uri): Promise<string> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) return open.getText();
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
}

/** The name and statement a claim file gives itself, read without the engine (undefined fields when unreadable). */
export function claimLabel(text: string): { name?: string; statement?: string } {
  try {
    const value = JSON.parse(text) as { name?: unknown; statement?: unknown };
    return {
      name: typeof value?.name === 'string' && value.name ? value.name : undefined,
      statement: typeof value?.statement === 'string' && value.statement ? value.statement : undefined,
    };
  } catch {
    return {};
  }
}

export class ClaimItems implements vscode.Disposable {
  private readonly uris = new WeakMap<vscode.TestItem, vscode.Uri>();
  private readonly disposables: vscode.Disposable[] = [];
  private watching: Promise<void> | undefined;

  constructor(private readonly controller: vscode.TestController) {}

  /** Finds the workspace's claim files and starts watching them (once; later calls wait for the first). */
  watch(): Promise<void> {
    this.watching ??= this.startWatching();
    return this.watching;
  }

  private async startWatching(): Promise<void> {
    const watcher = vscode.workspace.createFileSystemWatcher(CLAIM_GLOB);
    this.disposables.push(
      watcher,
      watcher.onDidCreate((uri) => void this.upsert(uri)),
      watcher.onDidChange((uri) => void this.upsert(uri, true)),
      watcher.onDidDelete((uri) => this.remove(uri)),
    );
    const found = await vscode.workspace.findFiles(CLAIM_GLOB, '**/node_modules/**');
    await Promise.all(found.filter(isClaimFile).map((uri) => this.upsert(uri)));
  }

  /** The claim file of an item, or undefined for a property's item. */
  uriOf(item: vscode.TestItem): vscode.Uri | undefined {
    return this.uris.get(item);
  }

  /** The item of a claim file (made now if the watcher has not seen the file yet). */
  async item(uri: vscode.Uri): Promise<vscode.TestItem> {
    return this.controller.items.get(claimItemId(uri)) ?? this.upsert(uri);
  }

  /** Makes or relabels a claim file's item; `edited` marks its last result outdated. */
  async upsert(uri: vscode.Uri, edited = false): Promise<vscode.TestItem> {
    const id = claimItemId(uri);
    let item = this.controller.items.get(id);
    if (!item) {
      item = this.controller.createTestItem(id, path.basename(uri.fsPath, CLAIM_FILE_SUFFIX), uri);
      item.range = new vscode.Range(0, 0, 0, 0);
      this.uris.set(item, uri);
      this.controller.items.add(item);
    }
    let text = '';
    try {
      text = await readClaimText(uri);
    } catch {
      // Gone or unreadable: the label stays the file name; a run says what is wrong.
    }
    const { name, statement } = claimLabel(text);
    item.label = name ?? path.basename(uri.fsPath, CLAIM_FILE_SUFFIX);
    const where = vscode.workspace.asRelativePath(uri, false);
    item.description = statement ? `${where}: ${statement}` : where;
    if (edited) this.controller.invalidateTestResults?.(item);
    return item;
  }

  remove(uri: vscode.Uri): void {
    this.controller.items.delete(claimItemId(uri));
  }

  dispose(): void {
    while (this.disposables.length) this.disposables.pop()?.dispose();
  }
}
