// The theory-checking harness: docs/theory.md §6 as fast-check properties, and claim files
// (docs/claims.md) checked by the same machinery.
export { theorems } from './properties/theorems';
export { runProperty, runProperties, formatReport, type PropertyReport, type RunSettings } from './runner';
export { coreTheory, type Theory, type TheoryProperty } from './properties/types';
export { parseClaimFile } from './claims/parseClaim';
export { checkClaim, explainViolation, type ClaimCheckOptions } from './claims/checkClaim';
export { ClaimError, type Claim, type ClaimKind, type ClaimPosition, type ClaimReport, type ClaimViolation, type ClaimCounterexample } from '../core/claims/claim';
