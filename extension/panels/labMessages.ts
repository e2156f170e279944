import { parseWebviewMessage, type ExportFormat, type LabBackend, type LabState, type WebviewMessage } from '../../core/protocol/messages';
import type { RunResult } from '../../core/result';
import type { ExperimentSpec } from '../../core/spec/schema';

// What the host does with a message from the Lab page. Pure: the panel class carries the
// actions out. Every message is validated by the shared protocol first; nothing in a message
// becomes a path outside the workspace (targets go through `resolveWorkspaceFile`, exports
// through a save dialog seeded with a sanitized base name) or a command.

export type LabAction =
  | { kind: 'ready'; protocol: number; backend: LabBackend }
  | { kind: 'state'; state: LabState; paused: boolean; backend: LabBackend; fallback?: string; progress?: { step: number; steps: number } }
  | { kind: 'points'; count: number }
  | { kind: 'save'; result: RunResult }
  | { kind: 'error'; message: string }
  | { kind: 'supplyTarget'; spec: ExperimentSpec }
  | { kind: 'export'; format: ExportFormat; fileName: string; bytes: Uint8Array }
  | { kind: 'openSweepRun'; file: string }
  | { kind: 'invalid'; reason: string };

const EXTENSIONS: Record<ExportFormat, string> = { png: '.png', svg: '.svg', json: '.json', csv: '.csv' };

/** A file name the page suggests, reduced to a safe base name with the format's extension. */
export function safeExportName(fileName: string, format: ExportFormat): string {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  let name = base
    .replace(/[^A-Za-z0-9._ -]+/g, '-')
    .replace(/^[.\s-]+/, '')
    .slice(0, 120)
    .trim();
  if (name === '') name = 'lab';
  return name.toLowerCase().endsWith(EXTENSIONS[format]) ? name : `${name}${EXTENSIONS[format]}`;
}

function decode(data: string, encoding: 'utf8' | 'base64'): Uint8Array {
  return encoding === 'base64' ? new Uint8Array(Buffer.from(data, 'base64')) : new TextEncoder().encode(data);
}

function actionFor(message: WebviewMessage): LabAction {
  switch (message.type) {
    case 'ready':
      return { kind: 'ready', protocol: message.protocol, backend: message.backend };
    case 'state':
      return {
        kind: 'state',
        state: message.state,
        paused: message.paused,
        backend: message.backend,
        ...(message.fallback ? { fallback: message.fallback } : {}),
        ...(message.step !== undefined && message.steps !== undefined ? { progress: { step: message.step, steps: message.steps } } : {}),
      };
    case 'points':
      return { kind: 'points', count: message.points.length };
    case 'done':
      return { kind: 'save', result: message.result };
    case 'error':
      return { kind: 'error', message: message.message.slice(0, 2000) };
    case 'needTarget':
      return { kind: 'supplyTarget', spec: message.spec };
    case 'export':
      return { kind: 'export', format: message.format, fileName: safeExportName(message.fileName, message.format), bytes: decode(message.data, message.encoding) };
    case 'openSweepRun':
      // The protocol allows only run-HASH.json: a base name inside the sweep folder shown.
      return { kind: 'openSweepRun', file: message.file };
  }
}

/** Validates a raw message from the page and says what to do with it. */
export function interpretWebviewMessage(raw: unknown): LabAction {
  // Live points (up to a frame's worth of logged steps) are not used by the extension host: they
  // are counted, not validated; the whole result comes, validated, with `done`.
  if (raw !== null && typeof raw === 'object' && (raw as { type?: unknown }).type === 'points') {
    const points = (raw as { points?: unknown }).points;
    return { kind: 'points', count: Array.isArray(points) ? points.length : 0 };
  }
  let message: WebviewMessage;
  try {
    message = parseWebviewMessage(raw);
  } catch (error) {
    return { kind: 'invalid', reason: (error as Error).message };
  }
  return actionFor(message);
}
