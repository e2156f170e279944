// The theory of docs/theory.md: closed forms, certified bounds and predicted plateaus.
export { flowTime, flowTimeTo, asymptoticTime, nearSingularIntegral, integrate } from './flowTime';
export { stepCountBounds, stepCountTable, defaultBoundaries, inflection, maxDriftSlope, type StepCountBounds, type StepCountTable } from './stepCountBounds';
export { checkHypotheses, stepSizeBound, type HypothesisCheck } from './hypotheses';
export { certifiedRankRange, entropyRankRange, type RankRange, type SingularValueBox } from './rankRanges';
export { componentEnclosure, singularValueBoundsOver, type ComponentEnclosure } from './enclosure';
export { predictPlateaus, specEigenvalues, certifiedCells, spectrumEnclosure, type PlateauPrediction } from './predictPlateaus';
export { matrixPathTolerance, matmulRoundingConstant, FLOAT32_UNIT_ROUNDOFF } from './float32Tolerance';
