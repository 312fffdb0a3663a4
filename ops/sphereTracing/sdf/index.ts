// Signed distance functions on the tape (docs/dist.md §1).
export { Sdf, type PlainSdf, type ParamLike } from './sdf.js';
export { PrimitiveSdf, box, capsule, cylinder, roundedBox, sphere, torus, type PrimitiveKind } from './primitives.js';
export { CombinedSdf, difference, intersection, union } from './combine.js';
export { TransformedSdf, transform, type TransformOptions } from './transform.js';
export { FunctionSdf, functionSdf } from './functionSdf.js';
export { csgShape } from './shapes.js';
export { sdfSurfacePoints } from './surfacePoints.js';
