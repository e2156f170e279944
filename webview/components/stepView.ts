import type { LabCharts } from '../plots/charts';
import type { TrajectoryStore } from '../plots/store';
import type { Heatmaps } from './heatmaps';

// The progress bar and the step slider: the slider follows the newest point while a run goes
// on, until the user pins an earlier one; the heatmaps show the slider's step.

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

export class StepView {
  private pinned: number | null = null;

  constructor(
    private readonly heatmaps: Heatmaps,
    private readonly charts: LabCharts,
  ) {}

  /** Follow the newest point again (a new run or result). */
  unpin(): void {
    this.pinned = null;
  }

  update(store: TrajectoryStore | undefined, progress: { step: number; steps: number }): void {
    const { step, steps } = progress;
    $('progress-bar').style.width = `${steps > 0 ? Math.min(100, (100 * step) / steps) : 0}%`;
    const slider = $<HTMLInputElement>('step-slider');
    if (!store || store.length === 0) {
      slider.disabled = true;
      return;
    }
    slider.disabled = false;
    slider.max = String(store.length - 1);
    const index = this.pinned ?? store.length - 1;
    slider.value = String(index);
    this.heatmaps.show(store, index);
  }

  /** The user moved the slider. */
  scrub(store: TrajectoryStore | undefined, running: boolean): void {
    const index = Number($<HTMLInputElement>('step-slider').value);
    if (!store) return;
    // Scrubbing to the end follows the run again.
    this.pinned = index >= store.length - 1 && running ? null : index;
    this.heatmaps.show(store, index);
    this.charts.setMarker(this.pinned === null && running ? null : store.steps[index]);
  }

  /** Redraws the heatmaps in a new theme. */
  redraw(store: TrajectoryStore | undefined): void {
    if (store && store.length > 0) this.heatmaps.show(store, Number($<HTMLInputElement>('step-slider').value));
    else this.heatmaps.drawEmpty();
  }
}
