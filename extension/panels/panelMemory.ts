import type * as vscode from 'vscode';

// Which saved run each Lab panel shows (workspace state, by panel title), so that a panel VS Code
// restores after a reload shows it again.

const PANELS_KEY = 'dfl.panels';
/** The key and title of the scratch Lab (Open Lab): it shows what runs live, no saved run. */
export const SCRATCH_LAB = 'lab';
export const SCRATCH_TITLE = 'Deep Factorization Lab';

export class PanelMemory {
  constructor(private readonly state: vscode.Memento) {}

  private panels(): Record<string, string | undefined> {
    return this.state.get<Record<string, string>>(PANELS_KEY) ?? {};
  }

  /** The saved run (file name) the panel titled `title` shows. */
  runOf(title: string): string | undefined {
    return this.panels()[title];
  }

  /** The key of a panel VS Code restored after a reload, from its title. */
  keyOf(title: string): string {
    if (title === SCRATCH_TITLE) return SCRATCH_LAB;
    const name = this.runOf(title);
    return name ? `run:${name}` : `title:${title}`;
  }

  /** Remembers (or with undefined, forgets) the run a panel shows. */
  async remember(title: string, run: string | undefined): Promise<void> {
    const panels = { ...this.panels() };
    if (run === undefined) delete panels[title];
    else panels[title] = run;
    await this.state.update(PANELS_KEY, panels);
  }
}
