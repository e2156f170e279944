import type * as vscode from 'vscode';

// Which saved run or sweep folder each Lab panel shows (workspace state, by panel title), so that
// a panel VS Code restores after a reload shows it again.

const PANELS_KEY = 'dfl.panels';
/** The key and title of the scratch Lab (Open Lab): it shows what runs live, no saved run. */
export const SCRATCH_LAB = 'lab';
export const SCRATCH_TITLE = 'Deep Factorization Lab';
/** Remembered values that name a sweep folder, not a run file (a run's name never starts so). */
const SWEEP = 'sweep:';

/** The key of the Lab panel of a sweep folder (one per folder). */
export function sweepLabKey(folder: string): string {
  return `${SWEEP}${folder}`;
}

export class PanelMemory {
  constructor(private readonly state: vscode.Memento) {}

  private panels(): Record<string, string | undefined> {
    return this.state.get<Record<string, string>>(PANELS_KEY) ?? {};
  }

  /** The saved run (file name) the panel titled `title` shows. */
  runOf(title: string): string | undefined {
    const value = this.panels()[title];
    return value?.startsWith(SWEEP) ? undefined : value;
  }

  /** The sweep folder (absolute path) the panel titled `title` shows. */
  sweepOf(title: string): string | undefined {
    const value = this.panels()[title];
    return value?.startsWith(SWEEP) ? value.slice(SWEEP.length) : undefined;
  }

  /** The key of a panel VS Code restored after a reload, from its title. */
  keyOf(title: string): string {
    if (title === SCRATCH_TITLE) return SCRATCH_LAB;
    const sweep = this.sweepOf(title);
    if (sweep) return sweepLabKey(sweep);
    const name = this.runOf(title);
    return name ? `run:${name}` : `title:${title}`;
  }

  async rememberSweep(title: string, folder: string): Promise<void> {
    await this.remember(title, sweepLabKey(folder));
  }

  /** Remembers (or with undefined, forgets) the run a panel shows. */
  async remember(title: string, run: string | undefined): Promise<void> {
    const panels = { ...this.panels() };
    if (run === undefined) delete panels[title];
    else panels[title] = run;
    await this.state.update(PANELS_KEY, panels);
  }
}
