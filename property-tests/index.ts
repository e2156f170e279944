// The theory-checking harness: docs/theory.md §6 as fast-check properties, and the observations.
export { theorems } from './properties/theorems';
export { observations, runObservation, formatObservation, type ObservationReport } from './properties/observations';
export { runProperty, runProperties, formatReport, type PropertyReport, type RunSettings } from './runner';
export { coreTheory, type Theory, type TheoryProperty } from './properties/types';
