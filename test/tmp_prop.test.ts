import { it, expect } from 'vitest';
import { theorems } from '../property-tests/properties/theorems';
import { runProperty, formatReport } from '../property-tests/runner';
const names = (process.env.PROPS ?? 'enclosure-every-step,plateau-rank,intervals-ordered').split(',');
it('props', async () => {
  for (const p of theorems.filter((t) => names.includes(t.name))) {
    const r = await runProperty(p, { runs: Number(process.env.RUNS ?? 60), seed: Number(process.env.SEED ?? 20261123), maxN: 120 });
    console.log(formatReport(r));
  }
}, 1200000);
