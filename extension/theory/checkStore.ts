import type * as vscode from 'vscode';
import type { TheoryCheck } from '../panels/reportHtml';
import type { TheoryRunResult } from './theoryTests';

// The last theory check of the workspace (workspace state): shown by the Runs view and the
// theory report, merged with partial runs from the Test Explorer.

const CHECK_KEY = 'dfl.lastCheck';

export class TheoryCheckStore {
  constructor(private readonly state: vscode.Memento) {}

  last(): TheoryCheck | undefined {
    return this.state.get<TheoryCheck>(CHECK_KEY);
  }

  /** Records a finished run; a partial run from the Test Explorer updates the properties it ran. */
  record(result: TheoryRunResult): TheoryCheck {
    const previous = this.last();
    const byName = new Map((previous?.reports ?? []).map((r) => [r.name, r]));
    for (const r of result.reports) byName.set(r.name, r);
    const check: TheoryCheck = {
      seed: result.settings.seed,
      runs: result.settings.runs,
      maxN: result.settings.maxN ?? 200,
      finishedAt: Date.now(),
      cancelled: result.cancelled,
      reports: result.reports.length + result.skipped.length >= byName.size ? result.reports : [...byName.values()],
      skipped: result.skipped,
    };
    void this.state.update(CHECK_KEY, check);
    return check;
  }
}
