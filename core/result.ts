import type { Plateau } from './plateaus/measurePlateaus';
import type { ExperimentSpec } from './spec/schema';

/** A predicted plateau (docs/theory.md §5, Theorem 5.10): steps inclusive; `epsilon` is the certified deviation. */
export interface PredictedPlateau extends Plateau {
  /** Whether the hypotheses of the theorem hold for this spec (identity init, symmetric target, (4.1)). */
  hypothesesMet: boolean;
}

export interface StopReason {
  kind: 'completed' | 'cancelled' | 'diverged';
  reason: string;
  /** The last step that was simulated. */
  step: number;
}

/** One logged step, as streamed while a run goes on. */
export interface TrajectoryPoint {
  step: number;
  singularValues: number[];
  effectiveRank: number;
  loss: number;
  distanceToBestRank: number[];
  groundTruthError?: number;
  /** ‖W_{j+1}ᵀW_{j+1} − W_jW_jᵀ‖_F, j = 1…N−1, when the spec records balancedness. */
  balancedness?: number[];
}

/** Products W(k) kept by a run whose spec asks for `record.snapshots` (n×n, row-major rows). */
export interface Snapshots {
  steps: number[];
  /** Why each step was kept: "requested" or "midpoint of the L = 2 plateau 266–349". */
  reasons: string[];
  matrices: number[][][];
  /** Ŵ and its best rank-L approximations Ŵ_L (docs/theory.md §5), L = 1…min(4, Lmax). */
  target: number[][];
  bestRank: { L: number; matrix: number[][] }[];
}

/** The result JSON of DESIGN.md; field names are a contract with the CLI, the Lab and reports. */
export interface RunResult {
  spec: ExperimentSpec;
  /** The shipped preset this run belongs to, when run with `dfl run --preset`. */
  preset?: string;
  engine: {
    path: 'spectral' | 'matrix';
    backend: string;
    precision: 'float64' | 'float32';
    /** The BLAS of the matrix path's products (library and threads), or "none (…)" and why. */
    blas?: string;
    /** What computed the logged singular values (LAPACK and its library, or the TypeScript routine). */
    lapack?: string;
  };
  target: { description: string; singularValues: number[] };
  steps: number[];
  /** Descending, per logged step (the largest `singularValuesKept` of them). */
  singularValues: number[][];
  singularValuesKept: number;
  effectiveRank: number[];
  loss: number[];
  /** ‖W(k) − Ŵ_L‖_F per logged step, L = 1…targetEffectiveRanks.length. */
  distanceToBestRank: number[][];
  /** ‖W(k) − W*‖_F per logged step, for targets with a clean ground truth. */
  groundTruthError?: number[];
  targetEffectiveRanks: number[];
  /** Per logged step, ‖W_{j+1}ᵀW_{j+1} − W_jW_jᵀ‖_F for j = 1…N−1 (spec.record.balancedness). */
  balancedness?: number[][];
  /** W(k) at chosen steps (spec.record.snapshots). */
  snapshots?: Snapshots;
  predicted: { plateaus: PredictedPlateau[] };
  measured: { plateaus: Plateau[] };
  stopped: StopReason;
  /** Seconds of wall-clock time (information only; never compared in tests). */
  elapsedSeconds: number;
}
