import type { TrajectoryPoint } from '../../core/result';

// Work while a run goes on is batched (uPlot's way): at most one UI update per animation frame,
// and the new points handed to the host in one `points` message per frame. Frames stop in hidden
// panels, so a timer still hands the points over now and then.

const FLUSH_MS = 250;

export class LiveUpdates {
  private pending: TrajectoryPoint[] = [];
  private frame = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly updateUi: () => void,
    private readonly send: (points: TrajectoryPoint[]) => void,
  ) {}

  push(point: TrajectoryPoint): void {
    this.pending.push(point);
  }

  /** Drops the points not yet sent (a new run starts). */
  clear(): void {
    this.pending = [];
  }

  schedule(): void {
    if (!this.frame) this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.updateUi();
      this.flush();
    });
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, FLUSH_MS);
  }

  flush(): void {
    if (this.pending.length === 0) return;
    const points = this.pending;
    this.pending = [];
    this.send(points);
  }
}
