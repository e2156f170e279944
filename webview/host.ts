import { parseHostMessage, type HostMessage, type WebviewMessageInput } from '../core/protocol/messages';

// The page's side of the host connection: VS Code's `acquireVsCodeApi()` (or the stand-in host's
// shim of it), with every received message validated by the protocol module.

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare global {
  interface Window {
    acquireVsCodeApi?: () => VsCodeApi;
  }
}

export class HostBridge {
  private readonly api: VsCodeApi;
  readonly connected: boolean;

  constructor() {
    const acquire = window.acquireVsCodeApi;
    this.connected = typeof acquire === 'function';
    // Opened without a host: messages go nowhere, the page still runs.
    this.api = acquire ? acquire() : { postMessage: () => undefined, getState: () => undefined, setState: () => undefined };
  }

  post(message: WebviewMessageInput): void {
    this.api.postMessage(message);
  }

  /** Valid host messages go to `listener`; invalid ones to `onInvalid` with a one-line reason. */
  listen(listener: (message: HostMessage) => void, onInvalid: (reason: string) => void): () => void {
    const handler = (event: MessageEvent) => {
      // Standalone, only the stand-in host posts to the page (the page itself or its parent frame,
      // from this origin): a page of another origin that frames the Lab is ignored. Inside VS Code
      // the webview's own host frame delivers every message and no other page can reach it; its
      // messages do not pass that test in code-server (the Lab received none), so it is not applied.
      if (!this.connected && (event.origin !== window.location.origin || (event.source !== window && event.source !== window.parent))) return;
      // Other window messages (libraries' own) carry no protocol `type`: not ours.
      const data = event.data as { type?: unknown } | null;
      if (data === null || typeof data !== 'object' || typeof data.type !== 'string') return;
      let message: HostMessage;
      try {
        message = parseHostMessage(event.data);
      } catch (error) {
        onInvalid((error as Error).message);
        return;
      }
      listener(message);
    };
    window.addEventListener('message', handler);
    return () => window.removeEventListener('message', handler);
  }

  getState<T>(): T | undefined {
    return this.api.getState() as T | undefined;
  }

  setState(state: unknown): void {
    this.api.setState(state);
  }
}
