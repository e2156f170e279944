// The Lab's two views: Run (the form, plots and heatmaps) and Sweep (phase diagrams of a sweep
// folder the host sent). The tab bar appears once a sweep has arrived; the shown view is mirrored
// on <body data-view="run|sweep">. Tabs follow the ARIA tab pattern (arrow keys move between them).

export type LabView = 'run' | 'sweep';

const $ = (id: string) => document.getElementById(id) as HTMLElement;

export class ViewTabs {
  private view: LabView = 'run';
  private readonly listeners: ((view: LabView) => void)[] = [];

  constructor() {
    document.body.dataset.view = 'run';
    const tabs: Record<LabView, HTMLElement> = { run: $('tab-run'), sweep: $('tab-sweep') };
    for (const view of ['run', 'sweep'] as const) {
      tabs[view].addEventListener('click', () => this.show(view));
      tabs[view].addEventListener('keydown', (event) => {
        if (!['ArrowLeft', 'ArrowRight', 'Home', 'End'].includes(event.key)) return;
        event.preventDefault();
        const next: LabView = event.key === 'Home' ? 'run' : event.key === 'End' ? 'sweep' : view === 'run' ? 'sweep' : 'run';
        this.show(next);
        tabs[next].focus();
      });
    }
  }

  get current(): LabView {
    return this.view;
  }

  /** Shows the tab bar (a sweep is available). */
  enable(): void {
    $('view-tabs').hidden = false;
  }

  show(view: LabView): void {
    if (view === 'sweep') this.enable();
    const changed = view !== this.view;
    this.view = view;
    document.body.dataset.view = view;
    $('run-view').hidden = view !== 'run';
    $('sweep-view').hidden = view !== 'sweep';
    for (const v of ['run', 'sweep'] as const) {
      const tab = $(`tab-${v}`);
      tab.setAttribute('aria-selected', String(v === view));
      tab.tabIndex = v === view ? 0 : -1;
    }
    if (changed) this.listeners.forEach((l) => l(view));
  }

  onChange(listener: (view: LabView) => void): void {
    this.listeners.push(listener);
  }
}
