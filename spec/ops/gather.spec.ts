import { expect } from 'chai';
import { arange, tensor } from '../../lib/create.js';
import { ArgumentError, ShapeError } from '../../lib/errors.js';
import { gather, indexSelect, scatterAdd } from '../../ops/gather.js';
import { expectGrads, param } from '../helpers.js';

describe('indexSelect', () => {
  const x = tensor(arange(12).data, { shape: [3, 4] });

  it('picks whole slices along an axis, repeats allowed', () => {
    expect(indexSelect(x, 0, [2, 0, 2]).toArray()).to.deep.equal([
      [8, 9, 10, 11],
      [0, 1, 2, 3],
      [8, 9, 10, 11],
    ]);
    expect(indexSelect(x, -1, Int32Array.from([3, 1])).toArray()).to.deep.equal([
      [3, 1],
      [7, 5],
      [11, 9],
    ]);
    expect(indexSelect(x, 0, []).shape).to.deep.equal([0, 4]);
  });

  it('sums the gradient of repeated picks', () => {
    const p = param([3, 2, 2]);
    expectGrads((t) => indexSelect(t, 1, [1, 1, 0]), [p]);
    expectGrads((t) => indexSelect(t, 0, [2, 0, 2, 2]), [p]);
    const q = tensor([1, 2, 3], { dtype: 'float64', requiresGrad: true });
    indexSelect(q, 0, [2, 2, 0]).backward(new Float64Array([1, 1, 1]));
    expect(Array.from(q.grad!.data)).to.deep.equal([1, 0, 2]);
  });

  it('names an out-of-range or non-integer index by position', () => {
    expect(() => indexSelect(x, 0, [0, 3])).to.throw(ArgumentError, /indices\[1\] = 3 is out of range for axis 0 of x of size 3/);
    expect(() => indexSelect(x, 1, [-1])).to.throw(ArgumentError, /indices\[0\] = -1/);
    expect(() => indexSelect(x, 0, [0.5])).to.throw(ArgumentError, /indices\[0\] = 0.5 is not an integer/);
    expect(() => indexSelect(x, 2, [0])).to.throw(ShapeError, /axis 2 is out of range/);
    expect(() => indexSelect(tensor(1), 0, [0])).to.throw(ShapeError, /0-d/);
    expect(() => indexSelect(x, 0, 2 as unknown as number[])).to.throw(ArgumentError, /indices must be an Int32Array or an array/);
  });
});

describe('gather', () => {
  const x = tensor([
    [1, 2],
    [3, 4],
  ]);

  it('reads one element per index entry (torch semantics)', () => {
    // y[i][j] = x[i][index[i][j]]
    expect(
      gather(x, 1, [
        [0, 0],
        [1, 0],
      ]).toArray(),
    ).to.deep.equal([
      [1, 1],
      [4, 3],
    ]);
    // y[i][j] = x[index[i][j]][j]
    expect(gather(x, 0, [[1, 0]]).toArray()).to.deep.equal([[3, 2]]);
    expect(gather(x, 1, { data: Int32Array.from([1, 0]), shape: [2, 1] }).toArray()).to.deep.equal([[2], [3]]);
    expect(gather(x, 1, tensor([[1], [1]])).toArray()).to.deep.equal([[2], [4]]);
    expect(gather(tensor([5, 6, 7]), 0, Int32Array.from([2, 2])).toArray()).to.deep.equal([7, 7]);
  });

  it('accumulates the gradient where indices repeat', () => {
    const p = param([3, 4, 2]);
    const index = [
      [
        [0, 2],
        [2, 2],
      ],
      [
        [1, 0],
        [0, 0],
      ],
    ]; // shape [2, 2, 2]
    expectGrads((t) => gather(t, 0, index), [p]);
    expectGrads((t) => gather(t, 1, index), [p]);
    expectGrads(
      (t) =>
        gather(t, -1, [
          [[1], [1]],
          [[0], [1]],
        ]),
      [p],
    );
  });

  it('checks the index rank, its extent and its values', () => {
    expect(() => gather(x, 1, [0, 1])).to.throw(ShapeError, /index has shape \[2\] but x has shape \[2,2\]/);
    expect(() => gather(x, 1, [[0], [0], [0]])).to.throw(ShapeError, /index dimension 0 is 3 but x's is 2/);
    expect(() =>
      gather(x, 1, [
        [0, 1],
        [2, 0],
      ]),
    ).to.throw(ArgumentError, /index\[1, 0\] = 2 is out of range for axis 1 of x of size 2/);
    expect(() =>
      gather(x, 0, [
        [0, 1],
        [1, 1.5],
      ]),
    ).to.throw(ArgumentError, /index\[1, 1\] = 1.5 is not an integer/);
    expect(() => gather(x, 0, { data: [0, 1, 0], shape: [2, 2] })).to.throw(ShapeError, /index.shape \[2,2\] needs 4 values/);
    expect(() => gather(x, 2, [[0]])).to.throw(ShapeError, /axis 2 is out of range/);
    expect(() => gather(tensor(1), 0, [0])).to.throw(ShapeError, /0-d/);
  });
});

describe('scatterAdd', () => {
  it('adds src into a copy of target at the indexed places, accumulating repeats', () => {
    const target = tensor([
      [0, 0, 0],
      [10, 10, 10],
    ]);
    const src = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    // y[index[i][j]][j] += src[i][j]
    expect(
      scatterAdd(
        target,
        0,
        [
          [1, 0, 1],
          [1, 1, 0],
        ],
        src,
      ).toArray(),
    ).to.deep.equal([
      [0, 2, 6],
      [15, 15, 13],
    ]);
    // y[i][index[i][j]] += src[i][j]; a smaller index uses only the leading part of src
    expect(scatterAdd(target, 1, [[2, 2]], src).toArray()).to.deep.equal([
      [0, 0, 3],
      [10, 10, 10],
    ]);
    expect(Array.from(target.data)).to.deep.equal([0, 0, 0, 10, 10, 10]);
  });

  it('is differentiable in target and src', () => {
    const t = param([3, 2], 1),
      s = param([4, 2], 2);
    const index = [
      [0, 2],
      [2, 2],
      [1, 0],
      [0, 0],
    ];
    expectGrads((a, b) => scatterAdd(a, 0, index, b), [t, s]);
    expectGrads((a, b) => scatterAdd(a, 1, [[1], [0]], b), [param([2, 3], 3), param([2, 2], 4)]);
    // only src requires grad: the target needs nothing
    const c = tensor([[0, 0]], { dtype: 'float64' });
    const q = param([1, 2], 5);
    scatterAdd(c, 1, [[1, 1]], q).backward(new Float64Array([3, 7]));
    expect(Array.from(q.grad!.data)).to.deep.equal([7, 7]);
    expect(c.grad).to.equal(null);
  });

  it('checks index against target and src', () => {
    const target = tensor([
      [0, 0],
      [0, 0],
    ]);
    const src = tensor([[1, 2]]);
    expect(() =>
      scatterAdd(
        target,
        0,
        [
          [0, 0],
          [1, 1],
        ],
        src,
      ),
    ).to.throw(ShapeError, /index dimension 0 is 2 but src's is 1/);
    expect(() => scatterAdd(target, 0, [[0, 0, 0]], tensor([[1, 2, 3]]))).to.throw(ShapeError, /index dimension 1 is 3 but target's is 2/);
    expect(() => scatterAdd(target, 0, [0, 1], src)).to.throw(ShapeError, /index has shape \[2\] but target has shape/);
    expect(() => scatterAdd(target, 0, [[2, 0]], src)).to.throw(ArgumentError, /index\[0, 0\] = 2 is out of range for axis 0 of target of size 2/);
    expect(() => scatterAdd(tensor(0), 0, [0], src)).to.throw(ShapeError, /0-d/);
  });
});
