// The theory-checking harness: docs/theory.md §6 as fast-check properties, and claim files
// (docs/claims.md) checked by the same machinery.
export { theorems } from './properties/theorems';
export { runProperty, runProperties, formatReport, type PropertyReport, type RunSettings } from './runner';
export { parseClaimFile } from './claims/parseClaim';
export { checkClaim, explainViolation, type ClaimCheckOptions } from './claims/checkClaim';
export { ClaimError, type Claim, type ClaimReport, type ClaimViolation } from '../core/claims/claim';
