import '../zodConfig';
import { parseHostMessage, parseWebviewMessage, type HostMessageInput, type WebviewMessage } from '../../core/protocol/messages';
import './themes.css';

// The stand-in host of standalone mode (`npm run lab:serve`, the browser tests): a shim of VS
// Code's `acquireVsCodeApi` in the same page. Messages from the Lab are validated like the
// extension host does; messages to it arrive as window messages, as they do in VS Code.
// Exports become downloads; MNIST digits come from the dev server; files are refused.

interface LabHostShim {
  /** Sends a host message to the Lab (validated first). */
  send(message: HostMessageInput): void;
  /** Every valid message received from the Lab, in order (`points` batches included). */
  readonly received: WebviewMessage[];
  /** One line per invalid message received from the Lab. */
  readonly invalid: string[];
  /** Resolves with the next received message of a type (after `after` messages). */
  next<T extends WebviewMessage['type']>(type: T, after?: number): Promise<Extract<WebviewMessage, { type: T }>>;
}

declare global {
  interface Window {
    labHost?: LabHostShim;
  }
}

const received: WebviewMessage[] = [];
const invalid: string[] = [];
const waiters: (() => void)[] = [];
let saved: unknown = (() => {
  try {
    return JSON.parse(sessionStorage.getItem('dfl-lab-state') ?? 'null') ?? undefined;
  } catch {
    return undefined;
  }
})();

function send(message: HostMessageInput): void {
  const checked = parseHostMessage(message);
  window.postMessage(checked, window.location.origin);
}

function download(fileName: string, data: string, encoding: 'utf8' | 'base64', type: string): void {
  const bytes = encoding === 'base64' ? Uint8Array.from(atob(data), (c) => c.charCodeAt(0)) : new TextEncoder().encode(data);
  const url = URL.createObjectURL(new Blob([bytes], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const MIME = { png: 'image/png', svg: 'image/svg+xml', json: 'application/json', csv: 'text/csv' } as const;

async function supplyTarget(message: Extract<WebviewMessage, { type: 'needTarget' }>): Promise<void> {
  const { spec } = message;
  if (spec.target.kind !== 'mnist') {
    send({ type: 'notice', level: 'error', text: `${spec.target.kind} targets are read by the VS Code host; in standalone mode use a spectrum, low-rank or matrix target (or MNIST)` });
    return;
  }
  const t = spec.target;
  const digit = t.digit ?? t.index % 10;
  const index = t.digit === undefined ? Math.floor(t.index / 10) : t.index;
  const response = await fetch(`/api/mnist?digit=${digit}&index=${index}`);
  if (!response.ok) {
    send({ type: 'notice', level: 'error', text: `MNIST digit ${digit} #${index}: ${await response.text()}` });
    return;
  }
  const rows = (await response.json()) as number[][];
  send({ type: 'run', spec, target: rows });
}

function handle(raw: unknown): void {
  let message: WebviewMessage;
  try {
    message = parseWebviewMessage(raw);
  } catch (error) {
    invalid.push((error as Error).message);
    console.error(`stand-in host: ${(error as Error).message}`);
    return;
  }
  received.push(message);
  waiters.splice(0).forEach((w) => w());
  switch (message.type) {
    case 'export':
      download(message.fileName, message.data, message.encoding, MIME[message.format]);
      break;
    case 'needTarget':
      void supplyTarget(message);
      break;
    default:
      break;
  }
}

window.acquireVsCodeApi = () => ({
  postMessage: (message: unknown) => handle(message),
  getState: () => saved,
  setState: (state: unknown) => {
    saved = state;
    sessionStorage.setItem('dfl-lab-state', JSON.stringify(state));
  },
});

window.labHost = {
  send,
  received,
  invalid,
  next(type, after = 0) {
    return new Promise((resolve) => {
      const look = () => {
        const found = received.slice(after).find((m) => m.type === type);
        if (found) resolve(found as never);
        else waiters.push(look);
      };
      look();
    });
  },
};
