// Every built-in differentiable op, one concern per file.
export * from './arithmetic.js';
export { binaryOp } from './binary.js';
export { lift, unbroadcast, type Operand } from './broadcast.js';
