// A small typed stand-in of the `vscode` API for unit tests of the extension host (aliased for
// `vscode` with vi.mock in test/extension/*.test.ts, and bundled by the activation benchmark).
// It implements what extension/ uses and records what the code did (commands, panels, posted
// messages, test runs) so that tests can assert on it.
import path from 'node:path';
import { pathToFileURL } from 'node:url';

type Listener<T> = (e: T) => unknown;

export class Disposable {
  constructor(private readonly fn: () => void = () => undefined) {}
  dispose(): void {
    this.fn();
  }
}

export class EventEmitter<T> {
  private listeners: Listener<T>[] = [];
  readonly event = (listener: Listener<T>, thisArg?: unknown, disposables?: Disposable[]): Disposable => {
    const bound = thisArg ? listener.bind(thisArg) : listener;
    this.listeners.push(bound);
    const d = new Disposable(() => (this.listeners = this.listeners.filter((l) => l !== bound)));
    disposables?.push(d);
    return d;
  };
  fire(e: T): void {
    for (const l of [...this.listeners]) l(e);
  }
  dispose(): void {
    this.listeners = [];
  }
}

export class Uri {
  private constructor(
    readonly scheme: string,
    readonly path: string,
    readonly query = '',
  ) {}
  static file(p: string): Uri {
    return new Uri('file', path.resolve(p));
  }
  static parse(text: string): Uri {
    const colon = text.indexOf(':');
    const rest = text.slice(colon + 1);
    const q = rest.indexOf('?');
    return new Uri(text.slice(0, colon), q < 0 ? rest : rest.slice(0, q), q < 0 ? '' : rest.slice(q + 1));
  }
  static joinPath(base: Uri, ...parts: string[]): Uri {
    return new Uri(base.scheme, path.join(base.path, ...parts));
  }
  get fsPath(): string {
    return this.path;
  }
  toString(): string {
    return this.scheme === 'file' ? pathToFileURL(this.path).toString() : `${this.scheme}:${this.path}${this.query ? `?${this.query}` : ''}`;
  }
}

export enum ViewColumn {
  Active = -1,
  Beside = -2,
  One = 1,
}
export enum StatusBarAlignment {
  Left = 1,
  Right = 2,
}
export enum ProgressLocation {
  SourceControl = 1,
  Window = 10,
  Notification = 15,
}
export enum ColorThemeKind {
  Light = 1,
  Dark = 2,
  HighContrast = 3,
  HighContrastLight = 4,
}
export enum TreeItemCollapsibleState {
  None = 0,
  Collapsed = 1,
  Expanded = 2,
}
export enum TestRunProfileKind {
  Run = 1,
  Debug = 2,
  Coverage = 3,
}

export class ThemeIcon {
  constructor(
    readonly id: string,
    readonly color?: ThemeColor,
  ) {}
}
export class ThemeColor {
  constructor(readonly id: string) {}
}

export class MarkdownString {
  value: string;
  isTrusted?: boolean | { enabledCommands: readonly string[] };
  constructor(
    value = '',
    readonly supportThemeIcons = false,
  ) {
    this.value = value;
  }
  appendMarkdown(text: string): this {
    this.value += text;
    return this;
  }
  appendText(text: string): this {
    this.value += text.replace(/[\\`*_{}[\]()#+\-.!]/g, '\\$&');
    return this;
  }
  appendCodeblock(code: string, language = ''): this {
    this.value += `\n\`\`\`${language}\n${code}\n\`\`\`\n`;
    return this;
  }
}

export class TreeItem {
  description?: string;
  tooltip?: string | MarkdownString;
  iconPath?: ThemeIcon | Uri;
  contextValue?: string;
  command?: { command: string; title: string; arguments?: unknown[] };
  id?: string;
  resourceUri?: Uri;
  constructor(
    readonly label: string,
    readonly collapsibleState: TreeItemCollapsibleState = TreeItemCollapsibleState.None,
  ) {}
}

export class Position {
  constructor(
    readonly line: number,
    readonly character: number,
  ) {}
}
export class Range {
  readonly start: Position;
  readonly end: Position;
  constructor(sl: number, sc: number, el: number, ec: number) {
    this.start = new Position(sl, sc);
    this.end = new Position(el, ec);
  }
}
export class CodeLens {
  constructor(
    readonly range: Range,
    readonly command?: { title: string; command: string; arguments?: unknown[]; tooltip?: string },
  ) {}
}
export class Location {
  constructor(
    readonly uri: Uri,
    readonly range: Position | Range,
  ) {}
}
export class RelativePattern {
  constructor(
    readonly base: Uri | string,
    readonly pattern: string,
  ) {}
}

export class TestMessage {
  expectedOutput?: string;
  actualOutput?: string;
  contextValue?: string;
  location?: Location;
  constructor(readonly message: string | MarkdownString) {}
  static diff(message: string | MarkdownString, expected: string, actual: string): TestMessage {
    return Object.assign(new TestMessage(message), { expectedOutput: expected, actualOutput: actual });
  }
}

export interface StubTestItem {
  id: string;
  label: string;
  description?: string;
  uri?: Uri;
  range?: Range;
  children: StubItemCollection;
}

export class StubItemCollection {
  private readonly map = new Map<string, StubTestItem>();
  get size(): number {
    return this.map.size;
  }
  replace(items: readonly StubTestItem[]): void {
    this.map.clear();
    for (const i of items) this.map.set(i.id, i);
  }
  add(item: StubTestItem): void {
    this.map.set(item.id, item);
  }
  delete(id: string): void {
    this.map.delete(id);
  }
  get(id: string): StubTestItem | undefined {
    return this.map.get(id);
  }
  forEach(fn: (item: StubTestItem) => void): void {
    this.map.forEach((i) => fn(i));
  }
}

export class TestRunRequest {
  constructor(
    readonly include?: readonly StubTestItem[],
    readonly exclude?: readonly StubTestItem[],
  ) {}
}

/** What a test run reported, item by item, in order (`messages` when several were given). */
export interface RecordedRun {
  events: { kind: 'enqueued' | 'started' | 'passed' | 'failed' | 'errored' | 'skipped'; id: string; message?: TestMessage; messages?: TestMessage[]; duration?: number }[];
  output: string[];
  ended: boolean;
}

export class CancellationTokenSource {
  private readonly emitter = new EventEmitter<void>();
  readonly token = { isCancellationRequested: false, onCancellationRequested: this.emitter.event };
  cancel(): void {
    this.token.isCancellationRequested = true;
    this.emitter.fire();
  }
  dispose(): void {
    this.emitter.dispose();
  }
}

// ---- recorded state ----

export interface StubWebviewPanel {
  viewType: string;
  title: string;
  iconPath?: unknown;
  webview: {
    html: string;
    options: unknown;
    cspSource: string;
    posted: unknown[];
    postMessage(message: unknown): Promise<boolean>;
    asWebviewUri(uri: Uri): Uri;
    onDidReceiveMessage: EventEmitter<unknown>['event'];
    /** Test helper: a message from the page. */
    receive(message: unknown): void;
  };
  disposed: boolean;
  revealed: number;
  reveal(): void;
  onDidDispose: EventEmitter<void>['event'];
  dispose(): void;
}

export const recorded = {
  commands: new Map<string, (...args: unknown[]) => unknown>(),
  panels: [] as StubWebviewPanel[],
  serializers: new Map<string, { deserializeWebviewPanel(panel: StubWebviewPanel, state: unknown): Promise<void> }>(),
  runs: [] as RecordedRun[],
  messages: [] as { level: 'info' | 'warning' | 'error'; text: string; buttons?: string[] }[],
  statusBarItems: [] as { text: string; visible: boolean }[],
  testControllers: [] as { id: string; profiles: { run: (request: TestRunRequest, token: CancellationTokenSource['token']) => unknown }[]; resolveHandler?: () => Promise<void> }[],
  /** What the next warning messages answer (a button's title), in order. */
  answers: [] as (string | undefined)[],
  log: [] as string[],
  configuration: {} as Record<string, unknown>,
  quickPicks: [] as ((items: readonly unknown[]) => unknown)[],
  saveDialog: undefined as Uri | undefined,
  written: new Map<string, Uint8Array>(),
  codeLensProviders: [] as { provideCodeLenses(document: { fileName: string; uri: Uri }): CodeLens[]; onDidChangeCodeLenses?: EventEmitter<void>['event'] }[],
  /** Commands run through `executeCommand` that nothing registered (VS Code's own, e.g. workbench.trust.manage). */
  builtinCommands: [] as string[],
  /** `withProgress` calls: what they reported, and their Cancel button. */
  progress: [] as RecordedProgress[],
  treeViews: [] as { id: string; options: { treeDataProvider: { getChildren(node?: unknown): unknown[]; getTreeItem(node: unknown): TreeItem } } }[],
  /** File watchers made, by glob: tests fire their events. */
  watchers: [] as StubWatcher[],
  /** The workspace's files as `findFiles` sees them. */
  files: [] as Uri[],
};

export interface StubWatcher {
  glob: string | RelativePattern;
  create: EventEmitter<Uri>;
  change: EventEmitter<Uri>;
  delete: EventEmitter<Uri>;
  disposed: boolean;
}

export interface RecordedProgress {
  title?: string;
  cancellable?: boolean;
  reports: { message?: string; increment?: number }[];
  /** Test helper: the user clicks Cancel. */
  cancel(): void;
  done: boolean;
}

const trustGranted = new EventEmitter<void>();

/** Test helper: the user trusts the workspace (VS Code never takes trust back without a reload). */
export function grantTrust(): void {
  workspace.isTrusted = true;
  trustGranted.fire();
}

export function resetStub(): void {
  recorded.commands.clear();
  recorded.panels = [];
  recorded.serializers.clear();
  recorded.runs = [];
  recorded.messages = [];
  recorded.answers = [];
  recorded.statusBarItems = [];
  recorded.testControllers = [];
  recorded.log = [];
  recorded.configuration = {};
  recorded.quickPicks = [];
  recorded.saveDialog = undefined;
  recorded.written.clear();
  recorded.codeLensProviders = [];
  recorded.builtinCommands = [];
  recorded.progress = [];
  recorded.treeViews = [];
  recorded.watchers = [];
  recorded.files = [];
  workspace.textDocuments = [];
  workspace.workspaceFolders = undefined;
  workspace.isTrusted = true;
}

function createPanel(viewType: string, title: string, options: unknown): StubWebviewPanel {
  const received = new EventEmitter<unknown>();
  const disposed = new EventEmitter<void>();
  const webview: StubWebviewPanel['webview'] = {
    html: '',
    options,
    cspSource: 'vscode-webview://stub',
    posted: [],
    async postMessage(message) {
      if (panel.disposed) return false;
      webview.posted.push(message);
      return true;
    },
    asWebviewUri: (uri) => Uri.parse(`vscode-webview-resource:${uri.path}`),
    onDidReceiveMessage: received.event,
    receive: (m) => received.fire(m),
  };
  // Like VS Code's panel: once disposed, reading its title or webview throws.
  const alive = <T>(value: T): T => {
    if (panel.disposed) throw new Error('Webview is disposed');
    return value;
  };
  const panel: StubWebviewPanel = {
    viewType,
    get title() {
      return alive(title);
    },
    get webview() {
      return alive(webview);
    },
    disposed: false,
    revealed: 0,
    reveal() {
      panel.revealed++;
    },
    onDidDispose: disposed.event,
    dispose() {
      if (panel.disposed) return;
      panel.disposed = true;
      disposed.fire();
    },
  };
  recorded.panels.push(panel);
  return panel;
}

const output = (name: string) => ({
  name,
  info: (t: string) => recorded.log.push(`info ${t}`),
  warn: (t: string) => recorded.log.push(`warn ${t}`),
  error: (t: string) => recorded.log.push(`error ${t}`),
  appendLine: (t: string) => recorded.log.push(t),
  show: () => undefined,
  dispose: () => undefined,
});

export const window = {
  activeTextEditor: undefined as undefined | { document: { uri: Uri } },
  activeColorTheme: { kind: ColorThemeKind.Dark },
  onDidChangeActiveColorTheme: new EventEmitter<{ kind: ColorThemeKind }>().event,
  createOutputChannel: (name: string) => output(name),
  createStatusBarItem: () => {
    const item = { text: '', tooltip: '', name: '', visible: false, show() { this.visible = true; }, hide() { this.visible = false; }, dispose: () => undefined };
    recorded.statusBarItems.push(item);
    return item;
  },
  createTreeView: (id: string, options: unknown) => {
    recorded.treeViews.push({ id, options: options as (typeof recorded.treeViews)[number]['options'] });
    return { options, dispose: () => undefined };
  },
  createWebviewPanel: (viewType: string, title: string, _column: unknown, options: unknown) => createPanel(viewType, title, options),
  registerWebviewPanelSerializer: (viewType: string, serializer: { deserializeWebviewPanel(panel: StubWebviewPanel, state: unknown): Promise<void> }) => {
    recorded.serializers.set(viewType, serializer);
    return new Disposable();
  },
  showErrorMessage: async (text: string) => void recorded.messages.push({ level: 'error', text }),
  showWarningMessage: async (text: string, ...items: unknown[]) => {
    recorded.messages.push({ level: 'warning', text, buttons: items.filter((i): i is string => typeof i === 'string') });
    return recorded.answers.shift();
  },
  showInformationMessage: async (text: string) => void recorded.messages.push({ level: 'info', text }),
  showQuickPick: async (items: readonly unknown[]) => (recorded.quickPicks.shift() ?? (() => undefined))(items),
  showSaveDialog: async () => recorded.saveDialog,
  showOpenDialog: async () => undefined,
  withProgress: async <T>(options: { title?: string; cancellable?: boolean }, task: (progress: { report(v: RecordedProgress['reports'][number]): void }, token: CancellationTokenSource['token']) => Promise<T>) => {
    const source = new CancellationTokenSource();
    const entry: RecordedProgress = { title: options.title, cancellable: options.cancellable, reports: [], cancel: () => source.cancel(), done: false };
    recorded.progress.push(entry);
    try {
      return await task({ report: (v) => void entry.reports.push(v) }, source.token);
    } finally {
      entry.done = true;
    }
  },
};

export const commands = {
  registerCommand: (id: string, fn: (...args: unknown[]) => unknown) => {
    recorded.commands.set(id, fn);
    return new Disposable(() => recorded.commands.delete(id));
  },
  executeCommand: async (id: string, ...args: unknown[]) => {
    const command = recorded.commands.get(id);
    if (!command) recorded.builtinCommands.push(id);
    return command?.(...args);
  },
};

export const workspace = {
  workspaceFolders: undefined as undefined | { uri: Uri; name: string; index: number }[],
  isTrusted: true,
  onDidGrantWorkspaceTrust: trustGranted.event,
  getConfiguration: (section: string) => ({ get: <T>(key: string): T | undefined => recorded.configuration[`${section}.${key}`] as T | undefined }),
  onDidChangeConfiguration: new EventEmitter<{ affectsConfiguration(s: string): boolean }>().event,
  onDidChangeWorkspaceFolders: new EventEmitter<void>().event,
  textDocuments: [] as { uri: Uri; getText(): string }[],
  createFileSystemWatcher: (glob: string | RelativePattern) => {
    const watcher: StubWatcher = { glob, create: new EventEmitter<Uri>(), change: new EventEmitter<Uri>(), delete: new EventEmitter<Uri>(), disposed: false };
    recorded.watchers.push(watcher);
    return { onDidCreate: watcher.create.event, onDidDelete: watcher.delete.event, onDidChange: watcher.change.event, dispose: () => void (watcher.disposed = true) };
  },
  /** `recorded.files` whose name ends as a `**` + `/*suffix` pattern asks. */
  findFiles: async (pattern: string) => recorded.files.filter((uri) => !pattern.startsWith('**/*') || uri.fsPath.endsWith(pattern.slice('**/*'.length))),
  asRelativePath: (uri: Uri) => uri.fsPath,
  openTextDocument: async (uri: Uri) => ({ uri, getText: () => (recorded.written.has(uri.fsPath) ? new TextDecoder().decode(recorded.written.get(uri.fsPath)) : '') }),
  fs: {
    writeFile: async (uri: Uri, bytes: Uint8Array) => void recorded.written.set(uri.fsPath, bytes),
    readFile: async (uri: Uri) => recorded.written.get(uri.fsPath) ?? new Uint8Array(),
  },
};

export const languages = {
  registerCodeLensProvider: (_selector: unknown, provider: (typeof recorded.codeLensProviders)[number]) => {
    recorded.codeLensProviders.push(provider);
    return new Disposable(() => (recorded.codeLensProviders = recorded.codeLensProviders.filter((p) => p !== provider)));
  },
};

export const tests = {
  createTestController: (id: string, label: string) => {
    const items = new StubItemCollection();
    const controller = {
      id,
      label,
      items,
      resolveHandler: undefined as undefined | ((item?: StubTestItem) => Promise<void>),
      refreshHandler: undefined as undefined | (() => Promise<void>),
      profiles: [] as { label: string; kind: TestRunProfileKind; run: (request: TestRunRequest, token: CancellationTokenSource['token']) => unknown }[],
      createTestItem: (itemId: string, itemLabel: string, uri?: Uri): StubTestItem => ({ id: itemId, label: itemLabel, uri, children: new StubItemCollection() }),
      /** Items whose results were marked outdated. */
      invalidated: [] as string[],
      invalidateTestResults(item?: StubTestItem) {
        controller.invalidated.push(item?.id ?? '*');
      },
      createRunProfile(profileLabel: string, kind: TestRunProfileKind, run: (request: TestRunRequest, token: CancellationTokenSource['token']) => unknown) {
        const profile = { label: profileLabel, kind, run, dispose: () => undefined };
        controller.profiles.push(profile);
        return profile;
      },
      createTestRun: () => {
        const run: RecordedRun = { events: [], output: [], ended: false };
        recorded.runs.push(run);
        const event = (kind: RecordedRun['events'][number]['kind']) => (item: StubTestItem, message?: TestMessage | TestMessage[] | number, duration?: number) =>
          run.events.push({
            kind,
            id: item.id,
            ...(Array.isArray(message) ? { message: message[0], messages: message } : typeof message === 'object' ? { message } : {}),
            ...(typeof message === 'number' ? { duration: message } : duration !== undefined ? { duration } : {}),
          });
        return {
          enqueued: event('enqueued'),
          started: event('started'),
          passed: event('passed'),
          failed: event('failed'),
          errored: event('errored'),
          skipped: event('skipped'),
          appendOutput: (text: string) => void run.output.push(text),
          end: () => void (run.ended = true),
        };
      },
      dispose: () => undefined,
    };
    recorded.testControllers.push(controller);
    return controller;
  },
};
