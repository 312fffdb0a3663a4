// Shape resolutions are small integers: a fractional or huge count is a mistake worth naming
// before it allocates gigabytes.

import { ArgumentError } from '../../lib/errors.js';

/** Throws ArgumentError unless `value` is an integer in [min, max]. */
export function checkCount(value: number, name: string, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ArgumentError(`${name} must be an integer from ${min} to ${max}, got ${value}.`);
  }
}
