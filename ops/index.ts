// Every built-in differentiable op, one concern per file.
import "./methods.js";
export * from './arithmetic.js';
export { binaryOp } from './binary.js';
export { lift, unbroadcast, type Operand } from './broadcast.js';
export { reshape, flatten, squeeze, unsqueeze, resolveShape } from './reshape.js';
export { permute, transpose } from './permute.js';
export { slice, narrow } from './slice.js';
export { concat, stack } from './concat.js';
export { indexSelect, gather, scatterAdd, type IndexLike, type IndexArray } from './gather.js';
export { matmul } from './matmul.js';
export { dot, cross, norm, normalize } from './vector.js';
export * from './unary.js';
export * from './pow.js';
export * from './clamp.js';
export { maximum, minimum, max, min } from './minmax.js';
export { sum, mean, type Axes } from './reduce.js';
export { where, type Condition } from './where.js';
