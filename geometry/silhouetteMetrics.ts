// How well a predicted silhouette matches a true mask: the per-pixel binary cross-entropy the Fuzzy
// Metaballs paper scores shape from silhouette with (its equation 11 and Table 3; docs/renderers.md
// §2), the predicted value
// clipped to [1e-6, 1 - 1e-6] so a wrong binary pixel costs -log(1e-6) = 13.8, not infinity:
//   CE = -1/P sum_p [ a_p log(b_p) + (1 - a_p) log(1 - b_p) ],  a the true mask, b the prediction

import { ShapeError } from '../lib/errors.js';

/** The clipping of the prediction (the paper's). */
export const CROSS_ENTROPY_CLIP = 1e-6;

/** Mean per-pixel binary cross-entropy of `predicted` (values in [0, 1]) against the mask `truth` (0 or 1). */
export function maskCrossEntropy(predicted: ArrayLike<number>, truth: ArrayLike<number>): number {
  if (predicted.length !== truth.length || predicted.length === 0) {
    throw new ShapeError(`maskCrossEntropy: predicted has ${predicted.length} pixels and truth ${truth.length}; render the prediction at the mask's size.`);
  }
  let total = 0;
  for (let p = 0; p < predicted.length; p++) {
    const b = Math.min(1 - CROSS_ENTROPY_CLIP, Math.max(CROSS_ENTROPY_CLIP, predicted[p]));
    total -= truth[p] > 0.5 ? Math.log(b) : Math.log(1 - b);
  }
  return total / predicted.length;
}
