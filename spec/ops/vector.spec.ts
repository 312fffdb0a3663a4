import { expect } from 'chai';
import { tensor } from '../../lib/create.js';
import { ArgumentError, NonFiniteError, ShapeError } from '../../lib/errors.js';
import { mul } from '../../ops/arithmetic.js';
import { cross, dot, norm, normalize } from '../../ops/vector.js';
import { expectGrads, param } from '../helpers.js';

const close = (actual: unknown, expected: number[], tol = 1e-12): void => {
  const flat = (actual as number[]).flat(3) as number[];
  expect(flat.length).to.equal(expected.length);
  flat.forEach((v, i) => expect(v).to.be.closeTo(expected[i], tol));
};

describe('dot', () => {
  it('reduces the last axis, broadcasting the others', () => {
    const a = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(dot(a, tensor([1, 0, -1])).toArray()).to.deep.equal([-2, -2]);
    expect(dot(a, a).toArray()).to.deep.equal([14, 77]);
    expect(dot(tensor([1, 2]), tensor([3, 4])).shape).to.deep.equal([]);
    expect(
      dot(
        tensor([[[1, 1]]]),
        tensor([
          [1, 2],
          [3, 4],
        ]),
      ).shape,
    ).to.deep.equal([1, 2]);
  });

  it('has gradients g b and g a, summed over broadcast vectors', () => {
    expectGrads(dot, [param([5, 3], 1), param([5, 3], 2)]);
    expectGrads(dot, [param([5, 3], 3), param([3], 4)]);
    expectGrads(dot, [param([2, 1, 4], 5), param([3, 4], 6)]);
    expectGrads((a) => dot(a, a), [param([4, 3], 7)]);
  });

  it('rejects mismatched vector lengths and batches', () => {
    expect(() => dot(param([4, 3]), param([4, 2]))).to.throw(ShapeError, /vectors of length 3 .* of length 2/);
    expect(() => dot(param([4, 3]), param([2, 3]))).to.throw(ShapeError, /cannot broadcast a \(leading dimensions\)/);
    expect(() => dot(tensor(1, { dtype: 'float64' }), param([3]))).to.throw(ShapeError, /0-d/);
  });
});

describe('cross', () => {
  it('computes a x b on the last axis', () => {
    expect(cross(tensor([1, 0, 0]), tensor([0, 1, 0])).toArray()).to.deep.equal([0, 0, 1]);
    expect(
      cross(
        tensor([
          [0, 1, 0],
          [1, 2, 3],
        ]),
        tensor([
          [0, 0, 1],
          [4, 5, 6],
        ]),
      ).toArray(),
    ).to.deep.equal([
      [1, 0, 0],
      [-3, 6, -3],
    ]);
    expect(
      cross(
        tensor([
          [1, 2, 3],
          [0, 0, 1],
        ]),
        tensor([0, 0, 1]),
      ).toArray(),
    ).to.deep.equal([
      [2, -1, 0],
      [0, 0, 0],
    ]);
  });

  it('has gradients b x g and g x a', () => {
    expectGrads(cross, [param([4, 3], 1), param([4, 3], 2)]);
    expectGrads(cross, [param([2, 4, 3], 3), param([3], 4)]);
    expectGrads(cross, [param([3], 5), param([2, 1, 3], 6)]);
    const a = param([3], 7);
    const b = tensor([1, 2, 3], { dtype: 'float64' });
    cross(a, b).backward(new Float64Array([1, 0, 0]));
    expect(Array.from(a.grad!.data)).to.deep.equal([0, 3, -2]); // b x e_x
  });

  it('insists on 3-vectors', () => {
    expect(() => cross(param([4, 2]), param([4, 2]))).to.throw(ShapeError, /must have length 3/);
    expect(() => cross(param([4, 3]), param([4, 2]))).to.throw(ShapeError, /must have length 3/);
  });
});

describe('norm', () => {
  it('is the Euclidean length along an axis', () => {
    expect(
      norm(
        tensor([
          [3, 4],
          [0, 0],
          [1, 0],
        ]),
      ).toArray(),
    ).to.deep.equal([5, 0, 1]);
    expect(
      norm(
        tensor(
          [
            [3, 1],
            [4, 1],
          ],
          { dtype: 'float64' },
        ),
        0,
      ).toArray(),
    ).to.deep.equal([5, Math.SQRT2]);
    expect(norm(tensor([[3, 4]]), -1, true).shape).to.deep.equal([1, 1]);
    expect(norm(tensor([3, 4])).item()).to.equal(5);
  });

  it('has gradient g x / |x|', () => {
    expectGrads((x) => norm(x), [param([5, 3])]);
    expectGrads((x) => norm(x, 1, true), [param([2, 3, 4])]);
    expectGrads((x) => norm(x, 0), [param([3, 2])]);
  });

  it('throws on backward through a zero vector that receives gradient, and only then', () => {
    const x = tensor(
      [
        [1, 2, 2],
        [0, 0, 0],
      ],
      { dtype: 'float64', requiresGrad: true },
    );
    expect(() => norm(x).backward(new Float64Array([1, 1]))).to.throw(NonFiniteError, /norm: .* zero vector x\[1, :\]/);
    const y = tensor(
      [
        [1, 2, 2],
        [0, 0, 0],
      ],
      { dtype: 'float64', requiresGrad: true },
    );
    norm(y).backward(new Float64Array([3, 0]));
    close(Array.from(y.grad!.data), [1, 2, 2, 0, 0, 0]);
    const z = tensor(
      [
        [0, 1],
        [0, 1],
      ],
      { dtype: 'float64', requiresGrad: true },
    );
    expect(() => norm(z, 0).backward(new Float64Array([1, 1]))).to.throw(NonFiniteError, /x\[:, 0\]/);
  });

  it('rejects 0-d tensors and bad axes', () => {
    expect(() => norm(tensor(2))).to.throw(ShapeError, /0-d/);
    expect(() => norm(param([2, 3]), 2)).to.throw(ShapeError, /axis 2 is out of range/);
  });
});

describe('normalize', () => {
  it('scales vectors to unit length along an axis', () => {
    close(
      normalize(
        tensor(
          [
            [3, 4],
            [0, -2],
          ],
          { dtype: 'float64' },
        ),
      ).toArray() as number[],
      [0.6, 0.8, 0, -1],
    );
    close(
      normalize(
        tensor(
          [
            [3, 0],
            [4, 2],
          ],
          { dtype: 'float64' },
        ),
        0,
      ).toArray() as number[],
      [0.6, 0, 0.8, 1],
    );
  });

  it('has gradient (g - y (y.g)) / |x|, which is orthogonal to y', () => {
    expectGrads((x) => normalize(x), [param([5, 3])]);
    expectGrads((x) => normalize(x, 1), [param([2, 3, 2])]);
    const x = param([3], 2);
    const y = normalize(x);
    y.backward(new Float64Array([0.3, -1, 2]));
    const along = Array.from(x.grad!.data).reduce((s, g, i) => s + g * y.data[i], 0);
    expect(along).to.be.closeTo(0, 1e-12);
  });

  it('throws on a zero vector unless eps is given, then divides by max(|x|, eps)', () => {
    const x = tensor(
      [
        [1, 0, 0],
        [0, 0, 0],
      ],
      { dtype: 'float64' },
    );
    expect(() => normalize(x)).to.throw(NonFiniteError, /normalize: x has a zero vector at x\[1, :\].*pass eps/);
    close(normalize(x, -1, 1e-12).toArray() as number[], [1, 0, 0, 0, 0, 0]);
    close(
      normalize(
        tensor(
          [
            [0.1, 0],
            [3, 4],
          ],
          { dtype: 'float64' },
        ),
        -1,
        0.5,
      ).toArray() as number[],
      [0.2, 0, 0.6, 0.8],
    );
  });

  it('is differentiable in both regimes with eps (linear below eps)', () => {
    // the second row has length ~0.017, below eps = 0.1, so y = x / eps there
    const x = tensor(
      [
        [1, 2, -0.5],
        [0.01, -0.01, 0.01],
      ],
      { dtype: 'float64', requiresGrad: true },
    );
    expectGrads((t) => normalize(t, -1, 0.1), [x]);
    normalize(x, -1, 0.1).backward(new Float64Array([0, 0, 0, 1, 2, 3]));
    close(Array.from(x.grad!.data).slice(3), [10, 20, 30], 1e-9);
  });

  it('rejects bad eps, 0-d tensors and bad axes', () => {
    const x = param([2, 3]);
    expect(() => normalize(x, -1, 0)).to.throw(ArgumentError, /eps must be a positive finite number/);
    expect(() => normalize(x, -1, NaN)).to.throw(ArgumentError, /eps/);
    expect(() => normalize(tensor(1))).to.throw(ShapeError, /0-d/);
    expect(() => normalize(x, -3)).to.throw(ShapeError, /axis -3 is out of range/);
  });

  it('works in float32 too', () => {
    const y = normalize(mul(tensor([[3, 4, 0]]), 2));
    expect(y.dtype).to.equal('float32');
    close(y.toArray() as number[], [0.6, 0.8, 0], 1e-6);
  });
});
