import { describe, expect, it } from 'vitest';
import { check, InputError, RunCancelledError } from '../../core/errors';

describe('errors', () => {
  it('check throws an InputError with the message, built only on failure', () => {
    let built = 0;
    const message = () => (built++, 'n must be positive');
    expect(() => check(true, message)).not.toThrow();
    expect(built).toBe(0);
    expect(() => check(false, message)).toThrow(InputError);
    expect(() => check(false, message)).toThrow('n must be positive');
    expect(built).toBe(2);
  });

  it('name the kind of error, so adapters can tell input errors and cancellations from bugs', () => {
    const input = new InputError('bad');
    expect(input).toBeInstanceOf(Error);
    expect(input.name).toBe('InputError');
    expect(String(input)).toBe('InputError: bad');
    expect(new RunCancelledError().message).toBe('cancelled before the first step');
    expect(new RunCancelledError().name).toBe('RunCancelledError');
  });
});
