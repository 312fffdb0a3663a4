// Float64 leaf parameters with a gradient already in place, for single-step tests.

import { tensor } from '../../lib/create.js';
import type { Tensor } from '../../lib/tensor.js';

/** A float64 leaf that requires grad, with `.grad` set to `grad` (when given). */
export function paramWithGrad(values: number[], grad?: number[], name?: string): Tensor {
  const p = tensor(values, { dtype: 'float64', requiresGrad: true, name });
  if (grad) setGrad(p, grad);
  return p;
}

/** Replaces `.grad` with `values` (NaN allowed, to test the guards). */
export function setGrad(p: Tensor, values: number[]): void {
  p.grad = tensor(values, { dtype: p.dtype, allowNonFinite: true });
}
