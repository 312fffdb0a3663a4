// Validation of optimizer and schedule hyperparameters at the public boundary: every failure
// is an ArgumentError naming the argument and what would be accepted.

import { ArgumentError } from '../lib/errors.js';

/** A finite number >= 0 (learning rates, weight decay, momentum, thresholds). */
export function checkNonNegative(value: unknown, argName: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new ArgumentError(`${argName} must be a finite number >= 0, got ${String(value)}.`);
  }
  return value;
}

/** A finite number > 0 (epsilons, clip values, maximum norms). */
export function checkPositive(value: unknown, argName: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ArgumentError(`${argName} must be a finite number > 0, got ${String(value)}.`);
  }
  return value;
}

/** A number in [low, high) (Adam betas, dampening), e.g. inRange(0.9, 'betas[0]', 0, 1). */
export function checkInRange(value: unknown, argName: string, low: number, high: number): number {
  if (typeof value !== 'number' || !(value >= low && value < high)) {
    throw new ArgumentError(`${argName} must be in [${low}, ${high}), got ${String(value)}.`);
  }
  return value;
}

/** An integer >= min (patience, cooldown, step sizes). */
export function checkInteger(value: unknown, argName: string, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new ArgumentError(`${argName} must be an integer >= ${min}, got ${String(value)}.`);
  }
  return value;
}

/** A boolean flag (nesterov, decoupledWeightDecay). */
export function checkBoolean(value: unknown, argName: string): boolean {
  if (typeof value !== 'boolean') throw new ArgumentError(`${argName} must be true or false, got ${String(value)}.`);
  return value;
}

/** One of a fixed set of strings (mode: 'min' | 'max'). */
export function checkOneOf<T extends string>(value: unknown, argName: string, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) {
    throw new ArgumentError(`${argName} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${JSON.stringify(value)}.`);
  }
  return value as T;
}
