// The theory-checking harness: docs/theory.md §6 as fast-check properties, and the observations.
export { theorems } from './properties/theorems';
export { observations, runObservation, formatObservation } from './properties/observations';
export { runProperty, runProperties, formatReport, type PropertyReport, type RunSettings } from './runner';
