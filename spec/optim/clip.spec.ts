import { expect } from 'chai';
import { ArgumentError, NonFiniteError } from '../../lib/errors.js';
import type { Tensor } from '../../lib/tensor.js';
import { clipGradNorm, clipGradValue } from '../../optim/clip.js';
import { paramWithGrad } from './params.js';

const gradOf = (p: Tensor): number[] => Array.from(p.grad!.data);

describe('clipGradValue', () => {
  it('clamps every gradient element into [-clipValue, clipValue] and leaves the rest', () => {
    const a = paramWithGrad([0, 0, 0], [-3, 0.5, 2]);
    const b = paramWithGrad([0], [-0.25]);
    clipGradValue([a, b], 1);
    expect(gradOf(a)).to.deep.equal([-1, 0.5, 1]);
    expect(gradOf(b)).to.deep.equal([-0.25]);
  });

  it('accepts a single tensor and skips parameters without a gradient', () => {
    const a = paramWithGrad([0], [5]);
    clipGradValue(a, 2);
    expect(gradOf(a)).to.deep.equal([2]);
    expect(() => clipGradValue([paramWithGrad([0])], 1)).not.to.throw();
  });

  it('rejects a bad clip value, bad params and a NaN gradient', () => {
    const a = paramWithGrad([0], [1]);
    expect(() => clipGradValue([a], 0)).to.throw(ArgumentError, /clipValue must be a finite number > 0/);
    expect(() => clipGradValue([a], -1)).to.throw(ArgumentError, /clipValue/);
    expect(() => clipGradValue('a' as unknown as Tensor[], 1)).to.throw(ArgumentError, /params must be a Tensor or an array/);
    expect(() => clipGradValue([1] as unknown as Tensor[], 1)).to.throw(ArgumentError, /params\[0\] is not a Tensor/);
    expect(() => clipGradValue([a, paramWithGrad([0], [NaN], 'normals')], 1)).to.throw(NonFiniteError, /params\[1\] \('normals'\)/);
  });
});

describe('clipGradNorm', () => {
  it('rescales all gradients together to maxNorm and returns the norm before clipping', () => {
    const a = paramWithGrad([0, 0], [3, 0]);
    const b = paramWithGrad([0], [-4]);
    const total = clipGradNorm([a, b], 1);
    expect(total).to.equal(5);
    const scale = 1 / (5 + 1e-6);
    expect(gradOf(a)[0]).to.be.closeTo(3 * scale, 1e-15);
    expect(gradOf(b)[0]).to.be.closeTo(-4 * scale, 1e-15);
    expect(Math.hypot(gradOf(a)[0], gradOf(b)[0])).to.be.closeTo(1, 1e-6);
  });

  it('leaves gradients already within maxNorm untouched', () => {
    const a = paramWithGrad([0, 0], [0.3, 0.4]);
    expect(clipGradNorm(a, 1)).to.be.closeTo(0.5, 1e-15);
    expect(gradOf(a)).to.deep.equal([0.3, 0.4]);
  });

  it('supports the max norm and other p-norms', () => {
    const a = paramWithGrad([0, 0], [3, -4]);
    expect(clipGradNorm(a, 2, { normType: Infinity })).to.equal(4);
    expect(gradOf(a)[1]).to.be.closeTo(-2, 1e-6);
    const b = paramWithGrad([0, 0], [3, -4]);
    expect(clipGradNorm(b, 100, { normType: 1 })).to.be.closeTo(7, 1e-12);
    expect(gradOf(b)).to.deep.equal([3, -4]);
  });

  it('skips parameters without a gradient (total 0 when none has one)', () => {
    expect(clipGradNorm([paramWithGrad([1])], 1)).to.equal(0);
  });

  it('throws NonFiniteError on a non-finite total, naming the parameter', () => {
    const a = paramWithGrad([0], [1]);
    const b = paramWithGrad([0, 0], [1, Infinity], 'positions');
    expect(() => clipGradNorm([a, b], 1)).to.throw(NonFiniteError, /total gradient norm is Infinity; params\[1\] \('positions'\)/);
    const huge = paramWithGrad([0, 0], [1e200, 1e200]);
    expect(() => clipGradNorm(huge, 1)).to.throw(NonFiniteError, /norm is Infinity;/);
  });

  it('rejects a bad maxNorm or normType', () => {
    const a = paramWithGrad([0], [1]);
    expect(() => clipGradNorm(a, 0)).to.throw(ArgumentError, /maxNorm must be a finite number > 0/);
    expect(() => clipGradNorm(a, 1, { normType: -2 })).to.throw(ArgumentError, /normType must be a number > 0 or Infinity/);
  });
});
