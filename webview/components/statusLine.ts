import type { LabBackend, LabState } from '../../core/protocol/messages';

// The page's state at a glance: the state pill (mirrored on <body data-state data-paused>), the
// backend pill (<body data-backend>), the CPU fallback notice and the message line.

const $ = (id: string) => document.getElementById(id) as HTMLElement;

export class StatusLine {
  private fallback: string | undefined;

  /** `stopped`: how the shown result ended (the pill says `cancelled` or `diverged` then). */
  setState(state: LabState, paused: boolean, stopped?: 'completed' | 'cancelled' | 'diverged'): void {
    document.body.dataset.state = state;
    document.body.dataset.paused = String(paused);
    const pill = $('state-pill');
    pill.textContent = paused && state === 'running' ? 'paused' : state === 'done' && stopped !== 'completed' ? (stopped ?? state) : state;
    pill.dataset.state = pill.textContent;
  }

  /** The backend in use; a fallback reason is kept once given. */
  setBackend(backend: LabBackend, fallback?: string): void {
    if (fallback) this.fallback = fallback;
    document.body.dataset.backend = backend;
    $('backend-pill').textContent = backend === 'webgl' ? 'WebGL' : 'CPU';
    $('backend-pill').dataset.backend = backend;
    const notice = $('fallback-notice');
    notice.hidden = !this.fallback;
    notice.textContent = this.fallback ? `⚠ ${this.fallback}.` : '';
  }

  /** Why the CPU backend is in use, if it is. */
  get fallbackReason(): string | undefined {
    return this.fallback;
  }

  message(text: string, level: 'info' | 'warning' | 'error' = 'info'): void {
    const el = $('message');
    el.hidden = text === '';
    el.textContent = text;
    el.className = `notice notice-${level}`;
  }
}
