import { expect } from 'chai';
import { Camera } from '../../geometry/camera.js';
import { Random } from '../../lib/random.js';
import { Convergence } from '../../optim/convergence.js';
import { findStrays, outsideMasks, relocateStrays } from '../../optim/strays.js';
import { upsampleCloud } from '../../optim/upsample.js';

/** A flat 10 x 10 grid of points at z = 0, spacing 0.1, normals +z. */
function grid(): { positions: Float64Array; normals: Float64Array } {
  const positions = new Float64Array(300),
    normals = new Float64Array(300);
  for (let k = 0; k < 100; k++) {
    positions[3 * k] = 0.1 * (k % 10);
    positions[3 * k + 1] = 0.1 * Math.floor(k / 10);
    normals[3 * k + 2] = 1;
  }
  return { positions, normals };
}

describe('stray control', () => {
  it('flags points that project outside a mask (or off the image), not those inside or behind the camera', () => {
    const camera = Camera.lookAt({ eye: [0, 0, 3], target: [0, 0, 0], width: 32, height: 32, fovY: 40 });
    // a mask of the central 16 x 16 pixels; its distance transform: pixels to the nearest inside pixel
    const distance = new Float32Array(32 * 32);
    for (let j = 0; j < 32; j++) for (let i = 0; i < 32; i++) distance[j * 32 + i] = Math.max(0, 8 - i, i - 23, 8 - j, j - 23);
    const positions = Float64Array.from([0, 0, 0, 0.9, 0, 0, 40, 0, 0, 0, 0, 5]);
    const out = outsideMasks(positions, [{ camera }], [distance]);
    expect(Array.from(out)).to.deep.equal([0, 1, 1, 0]);
    // a view without a mask says nothing
    expect(Array.from(outsideMasks(positions, [{ camera }], [null]))).to.deep.equal([0, 0, 0, 0]);
  });

  it('counts as strays the points outside a mask and those no render has shown for unseenSteps', () => {
    const outside = Uint8Array.from([1, 0, 0, 0]);
    const lastSeen = Int32Array.from([500, 500, 340, 360]);
    expect(Array.from(findStrays(outside, lastSeen, { unseenSteps: 150, step: 500 }))).to.deep.equal([1, 0, 1, 0]);
  });

  it('moves every stray half a spacing from a good point, on its tangent plane, and never changes the count', () => {
    const { positions, normals } = grid();
    const strays = new Uint8Array(100);
    for (const k of [3, 14, 15, 92]) {
      strays[k] = 1;
      positions[3 * k + 2] = 5; // far off the surface
    }
    const neighbours = Float64Array.from({ length: 100 }, (_, k) => (k % 10 === 0 ? 2 : 8)); // the left column is sparse
    const before = positions.length;
    const moved = relocateStrays(positions, normals, null, strays, neighbours, new Random(3), 0.1);
    expect(Array.from(moved)).to.deep.equal([3, 14, 15, 92]);
    expect(positions.length).to.equal(before);
    for (const k of moved) {
      expect(positions[3 * k + 2], 'on the donor tangent plane z = 0').to.be.closeTo(0, 1e-12);
      // next to a donor from the sparse half (the left column, x = 0), 0.05 away
      let nearest = Infinity;
      for (let j = 0; j < 100; j++) if (!strays[j]) nearest = Math.min(nearest, Math.hypot(positions[3 * k] - positions[3 * j], positions[3 * k + 1] - positions[3 * j + 1]));
      expect(nearest).to.be.at.most(0.05 + 1e-12);
      expect(Array.from(normals.subarray(3 * k, 3 * k + 3))).to.deep.equal([0, 0, 1]);
    }
    // the same seed moves them to the same places
    const again = grid();
    for (const k of [3, 14, 15, 92]) again.positions[3 * k + 2] = 5;
    relocateStrays(again.positions, again.normals, null, strays, neighbours, new Random(3), 0.1);
    expect(Array.from(again.positions)).to.deep.equal(Array.from(positions));
  });

  it('leaves the cloud alone when there are no strays, or no good point to move them to', () => {
    const { positions, normals } = grid();
    const copy = Float64Array.from(positions);
    expect(relocateStrays(positions, normals, null, new Uint8Array(100), new Float64Array(100), new Random(0), 0.1)).to.have.length(0);
    expect(relocateStrays(positions, normals, null, new Uint8Array(100).fill(1), new Float64Array(100), new Random(0), 0.1)).to.have.length(0);
    expect(Array.from(positions)).to.deep.equal(Array.from(copy));
  });
});

describe('staged refinement: upsampleCloud', () => {
  it('adds points where the cloud is sparsest, on the tangent plane, with the ends mean normal', () => {
    // two rows of points along x with a gap from 0.3 to 1.0
    const xs = [0, 0.1, 0.2, 0.3, 1.0, 1.1, 1.2, 1.3];
    const positions = xs.flatMap((x) => [x, 0, 0]);
    const normals = xs.flatMap(() => [0, 0, 1]);
    const grown = upsampleCloud(positions, normals, null, 3);
    expect(grown.positions.length).to.equal(3 * 11);
    expect(Array.from(grown.positions.subarray(0, 24))).to.deep.equal(Array.from(Float32Array.from(positions)));
    for (let k = 8; k < 11; k++) {
      // the longest edges of the 6-nearest-neighbour graph span the gap: their midpoints fall in it
      expect(grown.positions[3 * k]).to.be.within(0.3, 1.0);
      expect(grown.positions[3 * k + 1]).to.equal(0);
      expect(grown.positions[3 * k + 2]).to.equal(0);
      expect(Array.from(grown.normals.subarray(3 * k, 3 * k + 3))).to.deep.equal([0, 0, 1]);
    }
  });

  it('adds at most one point per distinct neighbour edge', () => {
    const two = upsampleCloud([0, 0, 0, 1, 0, 0], [0, 0, 1, 0, 0, 1], null, 5);
    expect(two.positions.length / 3).to.equal(3);
    expect(Array.from(two.positions.subarray(6))).to.deep.equal([0.5, 0, 0]);
  });
});

describe('stopping on convergence', () => {
  it('converges once a window of steps lowers the mean loss by less than the tolerance', () => {
    const rule = new Convergence({ window: 10, tolerance: 0.01 });
    for (let s = 0; s < 19; s++) expect(rule.push(1)).to.equal(false); // two full windows are needed
    expect(rule.push(1)).to.equal(true);
    rule.reset();
    expect(rule.improvement()).to.equal(null);
    // a loss falling 1% a step: each window is ~10% below the one before
    let loss = 1;
    for (let s = 0; s < 60; s++) expect(rule.push((loss *= 0.99))).to.equal(false);
    expect(rule.improvement()!).to.be.greaterThan(0.09);
  });
});
