import { describe, expect, it } from 'vitest';
import { ClaimError } from '../../../core/claims/claim';

describe('ClaimError', () => {
  it('names the file, the line and column, and the reason in one line', () => {
    const error = new ClaimError('claims/a.dfl-claim.json', 'claim.expect: undeclared reference to "erankk"', { line: 6, column: 13 });
    expect(error.message).toBe('claims/a.dfl-claim.json:6:13: claim.expect: undeclared reference to "erankk"');
    expect(error.name).toBe('ClaimError');
    expect(error).toBeInstanceOf(Error);
    expect(error.position).toEqual({ line: 6, column: 13 });
    expect(error.file).toBe('claims/a.dfl-claim.json');
    expect(error.reason).toBe('claim.expect: undeclared reference to "erankk"');
  });

  it('without a position names the file only', () => {
    const error = new ClaimError('a.dfl-claim.json', 'no such file');
    expect(error.message).toBe('a.dfl-claim.json: no such file');
    expect(error.position).toBeUndefined();
  });
});
