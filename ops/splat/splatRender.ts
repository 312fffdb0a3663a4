// What a splat render returns, and the checks every path makes at the public boundary
// (ewaSplat.ts, ewaSplatReference.ts).

import type { Camera } from '../../geometry/camera.js';
import { ArgumentError, NonFiniteError, ShapeError, firstNonFinite } from '../../lib/errors.js';
import { Tensor } from '../../lib/tensor.js';
import type { ResolvedSplatOptions } from './options.js';
import type { RasterStats } from './rasterizeSplats.js';
import type { CullCounts } from './screenSplats.js';
import type { SplatCache } from './splatCache.js';

export interface SplatRender {
  /** H x W x C rendered attributes (differentiable w.r.t. positions, normals, attributes). */
  image: Tensor;
  /** H x W camera depth (0 where empty). */
  depth: Tensor;
  /** H x W x 3 world normals (0 where empty). */
  normal: Tensor;
  /** H x W coverage (1 where a splat is visible). */
  alpha: Tensor;
  /** The front-most splats of every pixel (for the backward and the occlusion counter). */
  cache: SplatCache;
  /** The options after defaults (sigma, merge threshold...). */
  options: ResolvedSplatOptions;
  culled: CullCounts;
  stats: RasterStats;
}

/** What a non-tensor argument is, and how to make it one. */
function notATensor(value: unknown, columns: string): string {
  if (ArrayBuffer.isView(value) || Array.isArray(value)) {
    const kind = Array.isArray(value) ? 'an array' : `a ${value.constructor.name}`;
    const length = (value as ArrayLike<unknown>).length;
    return `${kind} of ${length} values; wrap flat ${columns} rows as a tensor: tensor(data, { shape: [N, ${columns === 'xyz' ? 3 : 'C'}] }) (tensor from 'splatgrad')`;
  }
  return value === null ? 'null' : typeof value;
}

/** Checks the op's tensors and camera; returns the number of attribute channels. */
export function validateSplatInputs(positions: Tensor, normals: Tensor, attributes: Tensor, camera: Camera): number {
  if (!(positions instanceof Tensor) || positions.ndim !== 2 || positions.shape[1] !== 3) {
    throw new ShapeError(`positions must be an N x 3 tensor, got ${positions instanceof Tensor ? `[${positions.shape}]` : notATensor(positions, 'xyz')}.`);
  }
  const n = positions.shape[0];
  if (n === 0) throw new ArgumentError('positions is empty: the cloud needs at least one point to render.');
  if (!(normals instanceof Tensor) || normals.ndim !== 2 || normals.shape[0] !== n || normals.shape[1] !== 3) {
    throw new ShapeError(`normals must be an N x 3 tensor with N = ${n} (one per position), got ${normals instanceof Tensor ? `[${normals.shape}]` : notATensor(normals, 'xyz')}.`);
  }
  if (!(attributes instanceof Tensor) || attributes.ndim !== 2 || attributes.shape[0] !== n || attributes.shape[1] < 1) {
    throw new ShapeError(
      `attributes must be an N x C tensor with N = ${n} (e.g. shaded RGB colours), got ${attributes instanceof Tensor ? `[${attributes.shape}]` : notATensor(attributes, 'per-point')}.`,
    );
  }
  for (const [t, name] of [
    [positions, 'positions'],
    [normals, 'normals'],
    [attributes, 'attributes'],
  ] as const) {
    const bad = firstNonFinite(t.data);
    if (bad >= 0) throw new NonFiniteError(`${name}[${Math.floor(bad / t.shape[1])}] has a non-finite value (${t.data[bad]}); remove or fix that point before rendering.`);
  }
  const N = normals.data;
  for (let k = 0; k < n; k++) {
    if (N[3 * k] === 0 && N[3 * k + 1] === 0 && N[3 * k + 2] === 0) {
      throw new ArgumentError(`normals[${k}] is the zero vector, so the splat has no orientation; give every point a non-zero normal.`);
    }
  }
  if (!camera || typeof camera.toCamera !== 'function') throw new ArgumentError('camera must be a Camera (Camera.lookAt or Camera.fromMatrix).');
  return attributes.shape[1];
}

/** The error for an output pixel that came out non-finite from finite inputs. */
export function nonFinitePixel(p: number, width: number): NonFiniteError {
  return new NonFiniteError(
    `ewaSplat: pixel (${p % width}, ${Math.floor(p / width)}) came out non-finite from finite inputs (an overflow: extreme coordinates, or a sigma far from the point spacing); rescale the scene or pass a sigma.`,
  );
}
