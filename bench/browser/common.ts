// What the benchmark page's measurements share: the sizes (`?smoke=1`: tiny), a median, a pause
// between measurements and the status line.

const params = new URLSearchParams(location.search);
export const SMOKE = params.get('smoke') === '1';
export const CONFIG = SMOKE
  ? { sizes: [16], warmup: 2, fixedSteps: 6, windows: 3, windowMs: 0, series: 10, points: 200, appended: 100, redraws: 3 }
  : { sizes: [64, 128, 256], warmup: 3, fixedSteps: 0, windows: 5, windowMs: 400, series: 100, points: 10_000, appended: 100, redraws: 7 };
export const DEPTH = 3;

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
/** Lets the page breathe between measurements (events, frames), outside the timed windows. */
export const pause = (ms = 0) => new Promise<void>((resolve) => setTimeout(resolve, ms));
export const status = (text: string) => {
  const el = document.getElementById('bench-status');
  if (el) el.textContent = text;
};

