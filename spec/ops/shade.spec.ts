import { expect } from 'chai';
import { tensor } from '../../lib/create.js';
import { ArgumentError, ShapeError } from '../../lib/errors.js';
import { gradcheck } from '../../lib/gradcheck.js';
import { Camera } from '../../geometry/camera.js';
import { ambientLight, defaultLights, directionalLight, type Light, pointLight, shadeLambert } from '../../geometry/lights.js';
import { shade } from '../../ops/shade.js';
import { sum } from '../../ops/reduce.js';
import { expectGrads, param } from '../helpers.js';

// Unit normals with every n.l well away from 0 (the max(0, .) kink), so finite differences are smooth.
function normalsAwayFromKink(n: number, lights: Light[], positions: Float64Array | null, seed = 1): Float64Array {
  const out = new Float64Array(n * 3);
  let s = seed;
  const rnd = () => ((s = (s * 16807) % 2147483647) / 2147483647) * 2 - 1;
  for (let k = 0; k < n; k++) {
    for (;;) {
      const v = [rnd(), rnd(), rnd()];
      const len = Math.hypot(...v);
      if (len < 0.1) continue;
      const u = v.map((x) => x / len);
      const far = lights.every((l) => {
        if (l.type === 'ambient') return true;
        let d = l.type === 'directional' ? l.direction : [0, 1, 2].map((i) => l.position[i] - positions![k * 3 + i]);
        const dl = Math.hypot(...d);
        d = d.map((x) => x / dl) as typeof d;
        return Math.abs(u[0] * d[0] + u[1] * d[1] + u[2] * d[2]) > 0.05;
      });
      if (far) {
        out.set(u, k * 3);
        break;
      }
    }
  }
  return out;
}

describe('shade', () => {
  const lights: Light[] = [ambientLight([0.1, 0.2, 0.3]), directionalLight([0, 0, 1], [1, 0.5, 0]), directionalLight([1, 1, 0], [0.2, 0.3, 0.9]), pointLight([3, 0, 4], [0, 0, 1])];

  it('matches hand-computed values and shadeLambert', () => {
    const normals = tensor(
      [
        [0, 0.6, 0.8],
        [0, 0, -1],
      ],
      { dtype: 'float64' },
    );
    const positions = tensor(
      [
        [0, 0, 0],
        [0, 0, 0],
      ],
      { dtype: 'float64' },
    );
    const out = shade(normals, [0.5, 1, 2], lights, positions);
    // point 0: sun z 0.8, sun (1,1,0)/sqrt2 0.6/sqrt2, point light (0.6, 0, 0.8) 0.64
    const s2 = 0.6 / Math.SQRT2;
    const expected0 = [0.5 * (0.1 + 0.8 + 0.2 * s2), 1 * (0.2 + 0.5 * 0.8 + 0.3 * s2), 2 * (0.3 + 0.9 * s2 + 0.64)];
    // point 1 faces away from every light but the ambient
    const expected1 = [0.5 * 0.1, 1 * 0.2, 2 * 0.3];
    [...expected0, ...expected1].forEach((v, i) => expect(out.data[i], `element ${i}`).to.be.closeTo(v, 1e-12));
    // positions may also be a plain array (a constant)
    expect(Array.from(shade(normals, [0.5, 1, 2], lights, new Float64Array(6)).data)).to.deep.equal(Array.from(out.data));
    for (let k = 0; k < 2; k++) {
      const ref = shadeLambert([0.5, 1, 2], normals.data.subarray(k * 3, k * 3 + 3), [0, 0, 0], lights);
      ref.forEach((v, c) => expect(out.data[k * 3 + c]).to.be.closeTo(v, 1e-12));
    }
  });

  it('gradchecks w.r.t. normals, per-point albedo and positions (away from the kink)', () => {
    const n = 6;
    const positions = param([n, 3], 4, { std: 0.3 });
    const normals = tensor(normalsAwayFromKink(n, lights, positions.data as Float64Array), { dtype: 'float64', shape: [n, 3], requiresGrad: true });
    const albedo = param([n, 3], 5, { mean: 0.5, std: 0.2 });
    expectGrads((nn, a, p) => shade(nn, a, lights, p), [normals, albedo, positions]);
  });

  it('gradchecks with a shared [3] albedo and the DSS default lights', () => {
    const camera = Camera.lookAt({ eye: [0, 0, -3], target: [0, 0, 0], width: 8, height: 8 });
    const dss = defaultLights(camera, { seed: 2 });
    const normals = tensor(normalsAwayFromKink(5, dss, null, 7), { dtype: 'float64', shape: [5, 3], requiresGrad: true });
    const albedo = tensor([0.8, 0.6, 0.4], { dtype: 'float64', requiresGrad: true });
    expectGrads((nn, a) => shade(nn, a, dss), [normals, albedo]);
  });

  it('has zero normal gradient on the dark side of every light', () => {
    const normals = tensor([[0, 0, -1]], { dtype: 'float64', requiresGrad: true });
    sum(shade(normals, [1, 1, 1], [directionalLight([0, 0, 1], [1, 1, 1]), ambientLight([0.3, 0.3, 0.3])])).backward();
    expect(Array.from(normals.grad!.data)).to.deep.equal([0, 0, 0]);
  });

  it('a gradcheck across the kink fails (the check can fail)', () => {
    const normals = tensor([[1, 0, 0]], { dtype: 'float64', requiresGrad: true }); // n.l = 0 exactly
    const report = gradcheck((nn) => shade(nn, [1, 1, 1], [directionalLight([1e-9, 0, 1], [1, 1, 1])]), [normals], { raise: false, mode: 'elements' });
    expect(report.ok).to.equal(false);
  });

  it('rejects zero normals, bad shapes and a point light without positions', () => {
    const sun = [directionalLight([0, 0, 1], [1, 1, 1])];
    expect(() => shade(tensor([[0, 0, 0]], { dtype: 'float64' }), [1, 1, 1], sun)).to.throw(ArgumentError, /normals\[0\] is the zero vector/);
    expect(() => shade(tensor([0, 0, 1], { dtype: 'float64' }), [1, 1, 1], sun)).to.throw(ShapeError, /normals/);
    expect(() =>
      shade(
        tensor([[0, 0, 1]], { dtype: 'float64' }),
        tensor(
          [
            [1, 1, 1],
            [1, 1, 1],
          ],
          { dtype: 'float64' },
        ),
        sun,
      ),
    ).to.throw(ShapeError, /albedo/);
    expect(() => shade(tensor([[0, 0, 1]], { dtype: 'float64' }), [1, 1, 1], [pointLight([0, 0, 1], [1, 1, 1])])).to.throw(ArgumentError, /positions/);
  });
});
