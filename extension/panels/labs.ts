import * as vscode from 'vscode';
import type { RunMark } from '../../core/protocol/messages';
import type { ExperimentSpec } from '../../core/spec/schema';
import type { SavedRun } from '../runs/runStore';
import { readSweepSummary, sweepLabel } from '../sweeps/sweepFolders';
import { LabPanel, themeKind, type LabServices } from './labPanel';
import { SCRATCH_LAB, SCRATCH_TITLE, sweepLabKey } from './panelMemory';

// What commands do with Lab panels: open the scratch Lab, show a saved run or a sweep folder in
// its own panel, start a live run; and the serializer that restores panels after a reload.

export class Labs {
  constructor(private readonly services: LabServices) {}

  /** Open Lab: the scratch Lab, where runs go live on WebGL. */
  openScratch(): LabPanel {
    const lab = LabPanel.createOrShow(this.services, SCRATCH_LAB, SCRATCH_TITLE);
    lab.post({ type: 'theme', kind: themeKind(vscode.window.activeColorTheme.kind) });
    return lab;
  }

  /** A saved run in its own Lab panel (one per run). */
  showRun(run: SavedRun): LabPanel {
    const title = `Lab · ${run.label} · ${new Date(run.savedAt).toLocaleTimeString()}`;
    const lab = LabPanel.createOrShow(this.services, `run:${run.name}`, title);
    lab.post({ type: 'loadResult', result: run.result });
    void this.services.memory.remember(lab.title, run.name);
    return lab;
  }

  /** A sweep folder's phase diagrams in its own Lab panel's Sweep view (one per folder); throws when its summary is unreadable. */
  showSweep(folder: string): LabPanel {
    const summary = readSweepSummary(folder);
    const lab = LabPanel.createOrShow(this.services, sweepLabKey(folder), `Lab · sweep ${sweepLabel(folder, summary)}`);
    lab.showSweep(folder, summary);
    void this.services.memory.rememberSweep(lab.title, folder);
    return lab;
  }

  /**
   * Runs a spec live in the scratch Lab; Ŵ of file and MNIST targets is read here (relative to
   * `baseDir`) unless `target` is given; `mark` is drawn on its plots (a claim's violation).
   */
  run(spec: ExperimentSpec, baseDir: string, options: { target?: number[][]; mark?: RunMark } = {}): void {
    const target = options.target ?? this.services.sources.targetFor(spec, baseDir);
    const lab = this.openScratch();
    lab.post({ type: 'run', spec, ...(target ? { target } : {}), backend: this.services.sources.settings().labBackend, ...(options.mark ? { mark: options.mark } : {}) });
  }

  serializer(): vscode.WebviewPanelSerializer {
    return {
      deserializeWebviewPanel: (panel) => {
        LabPanel.revive(panel, this.services);
        return Promise.resolve();
      },
    };
  }

  dispose(): void {
    LabPanel.disposeAll();
  }
}
