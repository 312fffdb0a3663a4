// cloudScale: the point spacing and diagonal the splat defaults scale with, and its memory of the
// last cloud (which must never answer for a cloud that has since changed).

import { expect } from 'chai';
import { cloudScale } from '../../../ops/splat/cloudScale.js';

/** A flat n x n grid of points h apart (6-NN of an inner point: 4 at h, 2 at h sqrt 2). */
function grid(n: number, h: number): Float64Array {
  const p = new Float64Array(3 * n * n);
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) p.set([i * h, j * h, 0], 3 * (j * n + i));
  return p;
}

describe('cloudScale', () => {
  it('measures the mean 6-NN spacing and the bounding-box diagonal of a grid', () => {
    const { spacing, diagonal } = cloudScale(grid(40, 0.01));
    // inner points: (4 + 2 sqrt 2) h / 6; edge and corner samples reach a little further
    expect(spacing).to.be.within(1.13 * 0.01, 1.25 * 0.01);
    expect(diagonal).to.be.closeTo(39 * 0.01 * Math.SQRT2, 1e-12);
  });

  it('answers an unchanged cloud again, and measures anew a cloud changed in place', () => {
    const points = grid(30, 0.02);
    const first = cloudScale(points);
    expect(cloudScale(points.slice())).to.deep.equal(first);
    for (let i = 0; i < points.length; i++) points[i] *= 2; // the same array, every point moved
    const moved = cloudScale(points);
    expect(moved.spacing).to.be.closeTo(2 * first.spacing, 1e-12);
    expect(moved.diagonal).to.be.closeTo(2 * first.diagonal, 1e-12);
    points[3 * 7 + 2] += 0.5; // one point lifted off the plane: the box grows
    expect(cloudScale(points).diagonal).to.be.greaterThan(moved.diagonal);
  });
});
