// The surface regularization term of the total loss (docs/dss.md §4, eq. 8):
//   gamma_p L_p + gamma_r L_r
// with the frame of both losses from one weighted PCA (eq. 15-16) over the projection
// neighbourhood. The caller owns the neighbourhoods (rebuilt on its own schedule, see
// NeighborhoodSchedule) and the occlusion counts o_k (summed over a step's views by countOccluded).

import { ArgumentError } from '../../lib/errors.js';
import { scalar } from '../../lib/create.js';
import { noGrad } from '../../lib/tape.js';
import type { Tensor } from '../../lib/tensor.js';
import { add, mul } from '../arithmetic.js';
import type { Neighborhood } from './neighborhood.js';
import { pcaWeights } from './pcaWeights.js';
import { projectionLoss } from './projection.js';
import { repulsionLoss } from './repulsion.js';
import { type WeightedPcaResult, weightedPca } from './weightedPca.js';

/** The patent's weights (docs/dss.md §5, eq. 8): gamma_p = 0.02, gamma_r = 0.05. */
export const DEFAULT_PROJECTION_WEIGHT = 0.02;
export const DEFAULT_REPULSION_WEIGHT = 0.05;

export interface SurfaceRegularizationOptions {
  /** Neighbourhood of the weighted PCA and the projection loss (its radius is the D of eq. 15a). */
  neighborhood: Neighborhood;
  /** Neighbourhood of the repulsion loss (default: `neighborhood`); typically a smaller radius. */
  repulsionNeighborhood?: Neighborhood;
  /** gamma_p of eq. 8 (default 0.02). */
  projectionWeight?: number;
  /** gamma_r of eq. 8 (default 0.05). */
  repulsionWeight?: number;
  /** o_k of eq. 15c per point (default: all 0). */
  occlusion?: ArrayLike<number>;
  /** Theta of eq. 15b (default pi/3). */
  normalAngle?: number;
  /** Treat the PCA frame as constant (default false: differentiate through the eigenvectors). */
  detachFrame?: boolean;
  /** Treat the weights of eq. 15 as constant too (default false: differentiate through psi and phi). */
  detachWeights?: boolean;
  /** eps of eq. 17a (default 1e-4). */
  repulsionEpsilon?: number;
  /** Threads for the weights, the frame's forward and the two losses (default: every core; same result for any count). */
  threads?: number;
  /** Compute and report a term weighted 0 anyway, off the tape (default true); false skips it (its field is then null). */
  reportUnweighted?: boolean;
}

export interface SurfaceRegularization {
  /** gamma_p L_p + gamma_r L_r (a scalar on the tape). */
  loss: Tensor;
  /** The two losses; a term weighted 0 is null when `reportUnweighted` is false. */
  projection: Tensor | null;
  repulsion: Tensor | null;
  /** The weighted-PCA frame both losses used. */
  frame: WeightedPcaResult;
  /** w_ik of eq. 16 per entry of `neighborhood`. */
  weights: Tensor;
}

/**
 * eq. 8's regularization for positions [N, 3] and the points' own normals [N, 3] (for the
 * normal-similarity weight of eq. 15b; null to leave it out).
 */
export function surfaceRegularization(positions: Tensor, normals: Tensor | null, options: SurfaceRegularizationOptions): SurfaceRegularization {
  const { neighborhood } = options ?? {};
  if (!neighborhood) throw new ArgumentError('surfaceRegularization: options.neighborhood is required (build it with buildNeighborhood or a NeighborhoodSchedule).');
  const gammaP = options.projectionWeight ?? DEFAULT_PROJECTION_WEIGHT;
  const gammaR = options.repulsionWeight ?? DEFAULT_REPULSION_WEIGHT;
  for (const [name, v] of [
    ['projectionWeight', gammaP],
    ['repulsionWeight', gammaR],
  ] as const) {
    if (!(v >= 0) || !Number.isFinite(v)) throw new ArgumentError(`surfaceRegularization: options.${name} must be a finite number >= 0 (gamma of eq. 8), got ${v}.`);
  }
  const weigh = () => pcaWeights(positions, normals, neighborhood, neighborhood.radius, { occlusion: options.occlusion, normalAngle: options.normalAngle, threads: options.threads });
  const weights = options.detachWeights ? noGrad(weigh) : weigh();
  const frame = weightedPca(positions, weights, neighborhood, { detach: options.detachFrame, threads: options.threads });
  // a term weighted 0 is still reported, but off the tape: its backward would only pass zeros
  const report = options.reportUnweighted ?? true;
  const term = (gamma: number, compute: () => Tensor): Tensor | null => (gamma !== 0 ? compute() : report ? noGrad(compute) : null);
  const projection = term(gammaP, () => projectionLoss(positions, frame.normals, weights, neighborhood, { threads: options.threads }));
  const rn = options.repulsionNeighborhood ?? neighborhood;
  const repulsion = term(gammaR, () => repulsionLoss(positions, frame.normals, rn, rn.radius, { epsilon: options.repulsionEpsilon, threads: options.threads }));
  const terms: Tensor[] = [];
  if (gammaP !== 0) terms.push(mul(projection!, gammaP));
  if (gammaR !== 0) terms.push(mul(repulsion!, gammaR));
  const loss = terms.length === 2 ? add(terms[0], terms[1]) : (terms[0] ?? scalar(0, { dtype: positions.dtype }));
  return { loss, projection, repulsion, frame, weights };
}
