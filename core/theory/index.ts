// The theory of docs/theory.md: closed forms, certified bounds and predicted plateaus.
export { asymptoticTime, flowTime, flowTimeTo } from './flowTime';
export { stepCountBounds, inflection, maxDriftSlope, type StepCountBounds } from './stepBounds';
export { checkHypotheses, stepSizeBound, type HypothesisCheck } from './hypotheses';
export { entropyRankRange } from './erankBounds';
export { predictPlateaus, specEigenvalues, type PlateauPrediction } from './predictPlateaus';
export { matrixPathTolerance, matmulRoundingConstant, FLOAT32_UNIT_ROUNDOFF } from './float32Tolerance';
