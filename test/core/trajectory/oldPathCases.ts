import { parseSpec } from '../../../core/spec/parseSpec';

// Specs whose results the engines produced before the trajectory recorder (fixtures/oldPath.json,
// written once by the engines that pushed columns of plain arrays): every series, the optional
// ones (ground truth, balancedness, snapshots), divergence at a logged step and between them.
const base = { n: 6, depth: 3, target: { kind: 'spectrum', eigenvalues: [4, 2, 1, 0.5], seed: 1 }, init: { kind: 'identity', alpha: 0.1 }, stepSize: 0.01 };

export const singleRunSpecs = {
  spectralEveryStep: parseSpec({ ...base, steps: 300, log: { every: 1 }, record: { balancedness: true, snapshots: [50, 101] } }),
  spectralMidpoints: parseSpec({ ...base, steps: 800, log: { points: 40 }, record: { snapshots: 'plateauMidpoints' } }),
  spectralDiverges: parseSpec({ ...base, stepSize: 2, steps: 200, log: { every: 10 } }),
  matrixGroundTruth: parseSpec({ n: 5, depth: 3, target: { kind: 'lowRankPlusNoise', rank: 2, noise: 0.1, seed: 2 }, init: { kind: 'gaussian', alpha: 0.3, seed: 4 }, stepSize: 0.02, steps: 120, log: { every: 4 }, record: { balancedness: true } }),
  matrixDiverges: parseSpec({ n: 4, depth: 3, target: { kind: 'spectrum', eigenvalues: [3, 1], seed: 3 }, init: { kind: 'gaussian', alpha: 0.5, seed: 1 }, stepSize: 3, steps: 60, log: { every: 2 } }),
};

export const batchSpecs = [
  singleRunSpecs.spectralMidpoints,
  parseSpec({ ...base, steps: 800, log: { points: 40 }, depth: 4, stepSize: 0.005 }),
  parseSpec({ ...base, steps: 800, log: { points: 40 }, stepSize: 3 }),
  parseSpec({ n: 4, depth: 3, target: { kind: 'lowRankPlusNoise', rank: 2, noise: 0.1, seed: 2 }, init: { kind: 'gaussian', alpha: 0.3, seed: 4 }, stepSize: 0.02, steps: 800, log: { points: 40 } }),
  parseSpec({ n: 4, depth: 3, target: { kind: 'spectrum', eigenvalues: [3, 1], seed: 3 }, init: { kind: 'gaussian', alpha: 0.5, seed: 1 }, stepSize: 3, steps: 800, log: { points: 40 } }),
];
