// Chainable methods on Tensor (x.mul(w).add(1).sum()), each a thin alias of the op function,
// so the tape stays in the op files and Tensor stays free of op logic (the tfjs-core layout).

import { Tensor } from '../lib/tensor.js';
import { add, div, mul, sub } from './arithmetic.js';
import type { Operand } from './broadcast.js';
import { clamp } from './clamp.js';
import { eq, ge, gt, le, lt } from './compare.js';
import { matmul } from './matmul.js';
import { max, min } from './minmax.js';
import { permute, transpose } from './permute.js';
import { pow } from './pow.js';
import { type Axes, mean, sum } from './reduce.js';
import { flatten, reshape, squeeze, unsqueeze } from './reshape.js';
import { abs, exp, log, neg, relu, sigmoid, sqrt, tanh } from './unary.js';
import { cross, dot, norm, normalize } from './vector.js';

declare module '../lib/tensor.js' {
  interface Tensor {
    add(b: Operand): Tensor;
    sub(b: Operand): Tensor;
    mul(b: Operand): Tensor;
    div(b: Operand): Tensor;
    pow(b: Operand): Tensor;
    neg(): Tensor;
    exp(): Tensor;
    log(): Tensor;
    sqrt(): Tensor;
    abs(): Tensor;
    sigmoid(): Tensor;
    tanh(): Tensor;
    relu(): Tensor;
    clamp(min?: number, max?: number): Tensor;
    sum(axes?: Axes, keepdims?: boolean): Tensor;
    mean(axes?: Axes, keepdims?: boolean): Tensor;
    max(axis?: number, keepdims?: boolean): Tensor;
    min(axis?: number, keepdims?: boolean): Tensor;
    reshape(shape: readonly number[]): Tensor;
    flatten(startDim?: number, endDim?: number): Tensor;
    squeeze(axis?: number): Tensor;
    unsqueeze(axis: number): Tensor;
    permute(dims: readonly number[]): Tensor;
    transpose(dim0?: number, dim1?: number): Tensor;
    matmul(b: Tensor): Tensor;
    dot(b: Tensor): Tensor;
    cross(b: Tensor): Tensor;
    norm(axis?: number, keepdims?: boolean): Tensor;
    normalize(axis?: number, eps?: number): Tensor;
    gt(b: Operand): Tensor;
    ge(b: Operand): Tensor;
    lt(b: Operand): Tensor;
    le(b: Operand): Tensor;
    eq(b: Operand): Tensor;
  }
}

const p = Tensor.prototype;
p.add = function (b) {
  return add(this, b);
};
p.sub = function (b) {
  return sub(this, b);
};
p.mul = function (b) {
  return mul(this, b);
};
p.div = function (b) {
  return div(this, b);
};
p.pow = function (b) {
  return pow(this, b);
};
p.neg = function () {
  return neg(this);
};
p.exp = function () {
  return exp(this);
};
p.log = function () {
  return log(this);
};
p.sqrt = function () {
  return sqrt(this);
};
p.abs = function () {
  return abs(this);
};
p.sigmoid = function () {
  return sigmoid(this);
};
p.tanh = function () {
  return tanh(this);
};
p.relu = function () {
  return relu(this);
};
p.clamp = function (lo, hi) {
  return clamp(this, lo, hi);
};
p.sum = function (axes, keepdims) {
  return sum(this, axes, keepdims);
};
p.mean = function (axes, keepdims) {
  return mean(this, axes, keepdims);
};
p.max = function (axis, keepdims) {
  return max(this, axis, keepdims);
};
p.min = function (axis, keepdims) {
  return min(this, axis, keepdims);
};
p.reshape = function (shape) {
  return reshape(this, shape);
};
p.flatten = function (s, e) {
  return flatten(this, s, e);
};
p.squeeze = function (axis) {
  return squeeze(this, axis);
};
p.unsqueeze = function (axis) {
  return unsqueeze(this, axis);
};
p.permute = function (dims) {
  return permute(this, dims);
};
p.transpose = function (d0, d1) {
  return transpose(this, d0, d1);
};
p.matmul = function (b) {
  return matmul(this, b);
};
p.dot = function (b) {
  return dot(this, b);
};
p.cross = function (b) {
  return cross(this, b);
};
p.norm = function (axis, keepdims) {
  return norm(this, axis, keepdims);
};
p.normalize = function (axis, eps) {
  return normalize(this, axis, eps);
};
p.gt = function (b) {
  return gt(this, b);
};
p.ge = function (b) {
  return ge(this, b);
};
p.lt = function (b) {
  return lt(this, b);
};
p.le = function (b) {
  return le(this, b);
};
p.eq = function (b) {
  return eq(this, b);
};
