// Shared test helpers: float64 tensors with seeded values, and a gradcheck wrapper that also
// asserts the check exercised something (a gradient of all zeros proves nothing).

import { expect } from 'chai';
import { randn, type TensorOptions } from '../lib/create.js';
import { gradcheck, type GradcheckOptions, type GradcheckReport } from '../lib/gradcheck.js';
import type { Tensor } from '../lib/tensor.js';

/** A float64 leaf with seeded normal values that requires grad. */
export function param(shape: number[], seed = 1, options: TensorOptions & { std?: number; mean?: number } = {}): Tensor {
  return randn(shape, { dtype: 'float64', requiresGrad: true, seed, ...options });
}

/** gradcheck that must pass and must have seen a non-zero derivative. */
export function expectGrads(fn: (...xs: Tensor[]) => Tensor | Tensor[], inputs: Tensor[], options: GradcheckOptions = {}): GradcheckReport {
  const report = gradcheck(fn, inputs, options);
  expect(report.ok, report.message).to.equal(true);
  expect(report.maxAbsNumeric, 'the check exercised no derivative').to.be.greaterThan(0);
  return report;
}
