// Point-set distances every demo reports, raw and in units of the reference's bounding-box
// diagonal (b is the reference: the ground truth). Nearest neighbours come from neighbors.ts.
//
//   chamfer   = 0.5 * (mean_{a in A} min_{b in B} |a - b| + mean_{b in B} min_{a in A} |b - a|)
//               (L2 distances, not squared; the symmetric mean of the two directions)
//   hausdorff = max(max_{a in A} min_{b in B} |a - b|, max_{b in B} min_{a in A} |b - a|)
//   normal consistency = 0.5 * (mean_a |n_a . n_nn(a) in B| + mean_b |n_b . n_nn(b) in A|),
//               in [0, 1], 1 when every point's nearest neighbour has a parallel normal; the
//               absolute value makes it blind to orientation flips.
// Point-to-mesh distance (exact, to triangles) is in pointToMesh.ts.

import { ArgumentError, ShapeError } from '../lib/errors.js';
import { boundingBox } from './mesh.js';
import { type Coordinates, checkCloud } from './neighborIndex.js';
import { type NeighborMethod, buildNeighborIndex } from './neighbors.js';
import { type PointsLike, pointsOf } from './points.js';

export interface MetricOptions {
  /** Nearest-neighbour structure (default: the neighbors.ts default, the kd-tree). */
  method?: NeighborMethod;
  /** Length that normalized values are divided by (default: bounding-box diagonal of b). */
  diagonal?: number;
}

/** The two directed nearest-neighbour distance lists: A -> B (per point of a) and B -> A. */
export interface DirectedDistances {
  aToB: Float64Array;
  bToA: Float64Array;
}

export interface ChamferResult {
  /** chamferRaw / diagonal. */
  chamfer: number;
  /** 0.5 * (meanAToB + meanBToA), in scene units. */
  chamferRaw: number;
  /** mean_a min_b |a - b| (accuracy of a against the reference b). */
  meanAToB: number;
  /** mean_b min_a |b - a| (completeness: how well a covers b). */
  meanBToA: number;
  /** The normalizing length: bounding-box diagonal of b unless options.diagonal is given. */
  diagonal: number;
}

export interface HausdorffResult {
  /** hausdorffRaw / diagonal. */
  hausdorff: number;
  hausdorffRaw: number;
  maxAToB: number;
  maxBToA: number;
  diagonal: number;
}

export interface NormalConsistencyResult {
  /** 0.5 * (aToB + bToA), in [0, 1]. */
  consistency: number;
  aToB: number;
  bToA: number;
}

/** Nearest-neighbour distance from every point of a to b and from every point of b to a. */
export function directedDistances(pointsA: PointsLike, pointsB: PointsLike, method?: NeighborMethod): DirectedDistances {
  const a = pointsOf(pointsA, 'a'),
    b = pointsOf(pointsB, 'b');
  checkCloud(a, 'a');
  checkCloud(b, 'b');
  return {
    aToB: buildNeighborIndex(b, { method }).knn(1, { queries: a }).distances,
    bToA: buildNeighborIndex(a, { method }).knn(1, { queries: b }).distances,
  };
}

/** `a` and `b`: clouds from samplePoints, N x 3 tensors, or flat xyz arrays. */
export function chamferDistance(a: PointsLike, b: PointsLike, options: MetricOptions = {}): ChamferResult {
  const diagonal = referenceDiagonal(pointsOf(b, 'b'), options);
  const { aToB, bToA } = directedDistances(a, b, options.method);
  const meanAToB = mean(aToB),
    meanBToA = mean(bToA);
  const chamferRaw = 0.5 * (meanAToB + meanBToA);
  return { chamfer: chamferRaw / diagonal, chamferRaw, meanAToB, meanBToA, diagonal };
}

/** `a` and `b`: clouds from samplePoints, N x 3 tensors, or flat xyz arrays. */
export function hausdorffDistance(a: PointsLike, b: PointsLike, options: MetricOptions = {}): HausdorffResult {
  const diagonal = referenceDiagonal(pointsOf(b, 'b'), options);
  const { aToB, bToA } = directedDistances(a, b, options.method);
  const maxAToB = max(aToB),
    maxBToA = max(bToA);
  const hausdorffRaw = Math.max(maxAToB, maxBToA);
  return { hausdorff: hausdorffRaw / diagonal, hausdorffRaw, maxAToB, maxBToA, diagonal };
}

/** Oriented clouds: positions and normals as flat xyz triples (normals need not be unit length). */
export interface OrientedPoints {
  positions: Coordinates;
  normals?: Coordinates;
}

export function normalConsistency(a: OrientedPoints, b: OrientedPoints, options: { method?: NeighborMethod } = {}): NormalConsistencyResult {
  const na = checkNormals(a, 'a');
  const nb = checkNormals(b, 'b');
  const aToB = meanAbsCosine(a.positions, na, b.positions, nb, options.method);
  const bToA = meanAbsCosine(b.positions, nb, a.positions, na, options.method);
  return { consistency: 0.5 * (aToB + bToA), aToB, bToA };
}

/** mean over p of |n_p . n_q| / (|n_p| |n_q|), q the nearest point of `to` to p. */
function meanAbsCosine(from: Coordinates, fromNormals: Coordinates, to: Coordinates, toNormals: Coordinates, method?: NeighborMethod): number {
  const nearest = buildNeighborIndex(to, { method }).knn(1, { queries: from }).indices;
  let sum = 0;
  for (let i = 0; i < nearest.length; i++) {
    const j = nearest[i];
    const ax = fromNormals[3 * i],
      ay = fromNormals[3 * i + 1],
      az = fromNormals[3 * i + 2];
    const bx = toNormals[3 * j],
      by = toNormals[3 * j + 1],
      bz = toNormals[3 * j + 2];
    const dot = ax * bx + ay * by + az * bz;
    sum += Math.abs(dot) / Math.sqrt((ax * ax + ay * ay + az * az) * (bx * bx + by * by + bz * bz));
  }
  return sum / nearest.length;
}

function checkNormals(cloud: OrientedPoints, what: string): Coordinates {
  if (cloud === null || typeof cloud !== 'object') throw new ArgumentError(`${what} must be a point cloud { positions, normals }.`);
  const n = checkCloud(cloud.positions, `${what}.positions`);
  if (cloud.normals === undefined) throw new ArgumentError(`${what}.normals is missing; normal consistency needs a normal per point.`);
  if (cloud.normals.length !== 3 * n) throw new ShapeError(`${what}.normals has ${cloud.normals.length} values but ${what}.positions has ${n} points; pass one xyz normal per point.`);
  checkCloud(cloud.normals, `${what}.normals`);
  const normals = cloud.normals;
  for (let i = 0; i < n; i++) {
    const x = normals[3 * i],
      y = normals[3 * i + 1],
      z = normals[3 * i + 2];
    if (!(x * x + y * y + z * z > 1e-24)) throw new ArgumentError(`${what}.normals[${i}] has zero length; every point needs a normal with a direction.`);
  }
  return normals;
}

function referenceDiagonal(b: Coordinates, options: MetricOptions): number {
  if (options.diagonal !== undefined) {
    if (!(options.diagonal > 0) || !Number.isFinite(options.diagonal)) throw new ArgumentError(`options.diagonal must be a finite positive length, got ${options.diagonal}.`);
    return options.diagonal;
  }
  checkCloud(b, 'b');
  const { diagonal } = boundingBox(b instanceof Float64Array ? b : Float64Array.from(b));
  if (!(diagonal > 0)) {
    throw new ArgumentError('b (the reference) has zero extent (all its points coincide), so it has no diagonal to normalize by; pass options.diagonal.');
  }
  return diagonal;
}

function mean(values: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return sum / values.length;
}

function max(values: Float64Array): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) if (values[i] > m) m = values[i];
  return m;
}
