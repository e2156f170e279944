import * as vscode from 'vscode';

// The status bar item of runs: shown while a host run, a theory check or a Lab run goes on.

export class RunStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private hostRuns = 0;
  /** Lab panels running now (by panel key) and how far they are. */
  private readonly labRuns = new Map<string, { step: number; steps: number }>();

  constructor() {
    this.item = vscode.window.createStatusBarItem('deepFactorization.run', vscode.StatusBarAlignment.Left, 10);
    this.item.name = 'Deep Factorization run';
  }

  /** A run or check in the extension host starts; `text` is shown until the next update. */
  beginHostRun(text: string): void {
    this.hostRuns++;
    this.update(text);
  }

  /** Counts the host run as over; `refresh` false while the extension host shuts down. */
  endHostRun(refresh = true): void {
    this.hostRuns--;
    if (refresh) this.update();
  }

  /** Progress of the host run going now. */
  progress(text: string): void {
    this.item.text = text;
  }

  /** A Lab panel reports its state: running (with progress) or not. */
  labState(key: string, running: boolean, progress?: { step: number; steps: number }): void {
    if (running) this.labRuns.set(key, progress ?? { step: 0, steps: 0 });
    else this.labRuns.delete(key);
    this.update();
  }

  /** A Lab panel was reloaded or closed: its run is gone. */
  labGone(key: string): void {
    if (this.labRuns.delete(key)) this.update();
  }

  private update(text?: string): void {
    const lab = [...this.labRuns.values()][0];
    if (text) this.item.text = text;
    else if (lab) this.item.text = `$(sync~spin) Lab run ${lab.step}/${lab.steps}`;
    if (this.hostRuns > 0 || this.labRuns.size > 0) {
      this.item.tooltip = 'Deep Factorization Lab: a run is going';
      this.item.show();
    } else this.item.hide();
  }

  dispose(): void {
    this.item.dispose();
  }
}
