// The tracer's forward: hits where analytic ray-sphere and ray-box intersections are (to 1e-4),
// converged rays never evaluated again, the same bits on any thread count, typed errors.

import { expect } from 'chai';
import { Camera } from '../../../geometry/camera.js';
import { fromArray, tensor } from '../../../lib/create.js';
import { ArgumentError, DTypeError, NonFiniteError, ShapeError } from '../../../lib/errors.js';
import { backward } from '../../../lib/tape.js';
import type { Tensor } from '../../../lib/tensor.js';
import { box, sphere } from '../../../ops/sphereTracing/sdf/primitives.js';
import { transform } from '../../../ops/sphereTracing/sdf/transform.js';
import { union } from '../../../ops/sphereTracing/sdf/combine.js';
import { functionSdf } from '../../../ops/sphereTracing/sdf/functionSdf.js';
import { sphereTrace } from '../../../ops/sphereTracing/sphereTrace.js';
import { sphereTraceReference } from '../../../ops/sphereTracing/sphereTraceReference.js';
import { HIT } from '../../../ops/sphereTracing/rayBatch.js';
import { closePool } from '../../../parallel/workerPool.js';

const f64 = { dtype: 'float64' as const };
const camera = (width = 64, height = 56) => Camera.lookAt({ eye: [0.6, 0.5, 2.4], target: [0.05, 0, 0], width, height, fovY: 45 });

/**
 * The analytic hit of a ray: its distance t, |cos| of the incidence and the length of its chord
 * through the shape; null for a miss.
 */
type Intersect = (o: number[], d: number[]) => { t: number; cosine: number; chord: number } | null;

function checkAgainst(render: ReturnType<typeof sphereTrace>, cam: Camera, intersect: Intersect): { checked: number; worst: number } {
  let checked = 0,
    worst = 0;
  const W = cam.width;
  for (let p = 0; p < W * cam.height; p++) {
    const { origin, direction } = cam.rayThroughPixel((p % W) + 0.5, Math.floor(p / W) + 0.5);
    const hit = intersect(origin, direction);
    // rays near grazing, or clipping an edge or a corner, are the silhouette's: aggressive
    // marching (ratio 1.5) may step through such a short chord, as the DIST reference's does
    if (!hit || hit.cosine < 0.5 || hit.chord < 0.1) {
      if (!hit) expect(render.hit[p], `pixel ${p} has no analytic hit`).to.equal(0);
      continue;
    }
    expect(render.hit[p], `pixel ${p} hits analytically`).to.equal(1);
    const z = hit.t * (direction[0] * cam.forward[0] + direction[1] * cam.forward[1] + direction[2] * cam.forward[2]);
    worst = Math.max(worst, Math.abs(render.depth.data[p] - z));
    checked++;
  }
  return { checked, worst };
}

describe('sphereTrace forward', () => {
  after(() => closePool());

  it('agrees with the analytic ray-sphere intersection to 1e-4', () => {
    const c = [0.1, -0.05, 0.05],
      r = 0.45;
    const cam = camera();
    for (const trace of [sphereTrace, sphereTraceReference]) {
      const render = trace(sphere({ center: c, radius: r, ...f64 }), cam, { threads: 1 });
      const { checked, worst } = checkAgainst(render, cam, (o, d) => {
        const e = o.map((x, k) => x - c[k]);
        const b = e[0] * d[0] + e[1] * d[1] + e[2] * d[2];
        const disc = b * b - (e[0] ** 2 + e[1] ** 2 + e[2] ** 2 - r * r);
        if (disc < 0) return null;
        const t = -b - Math.sqrt(disc);
        const n = e.map((x, k) => (x + t * d[k]) / r);
        return { t, cosine: -(n[0] * d[0] + n[1] * d[1] + n[2] * d[2]), chord: 2 * Math.sqrt(disc) };
      });
      expect(checked).to.be.greaterThan(300);
      expect(worst).to.be.lessThan(1e-4);
    }
  });

  it('agrees with the analytic ray-box intersection (slabs) to 1e-4, turned and moved', () => {
    const half = [0.35, 0.25, 0.3],
      w = [0.2, 0.5, -0.1],
      move = [0.05, 0.02, -0.03];
    const sdf = transform(box({ halfSize: half, ...f64 }), { rotation: w, translation: move });
    const cam = camera();
    const render = sphereTrace(sdf, cam, { threads: 1 });
    const R = (sdf.plain() as { R: Float64Array }).R;
    const { checked, worst } = checkAgainst(render, cam, (o, d) => {
      // into the box's frame: q = R^T (p - t)
      const lo = [0, 1, 2].map((j) => (o[0] - move[0]) * R[j] + (o[1] - move[1]) * R[3 + j] + (o[2] - move[2]) * R[6 + j]);
      const ld = [0, 1, 2].map((j) => d[0] * R[j] + d[1] * R[3 + j] + d[2] * R[6 + j]);
      let t0 = -Infinity,
        t1 = Infinity,
        axis = -1;
      for (let k = 0; k < 3; k++) {
        const a = (-half[k] - lo[k]) / ld[k],
          b = (half[k] - lo[k]) / ld[k];
        const near = Math.min(a, b);
        if (near > t0) [t0, axis] = [near, k];
        t1 = Math.min(t1, Math.max(a, b));
      }
      if (t0 > t1 || t1 < 0) return null;
      return { t: t0, cosine: Math.abs(ld[axis]), chord: t1 - t0 };
    });
    expect(checked).to.be.greaterThan(200);
    expect(worst).to.be.lessThan(1e-4);
  });

  it('never evaluates a converged ray again: more steps cost nothing once every ray is done', () => {
    const sdf = union([sphere({ radius: 0.4, center: [-0.15, 0, 0], ...f64 }), box({ halfSize: [0.2, 0.3, 0.2], ...f64 })], { k: 0.05 });
    const cam = camera(48, 48);
    const a = sphereTrace(sdf, cam, { threads: 1, steps: 100 });
    const b = sphereTrace(sdf, cam, { threads: 1, steps: 1000 });
    expect(Math.max(...a.steps), 'every ray finished within 100 steps').to.be.lessThan(100);
    expect(b.evaluations.march).to.equal(a.evaluations.march);
    // the dense twin evaluates every ray at every step
    const dense = sphereTraceReference(sdf, cam, { steps: 100 });
    const inSphere = a.state.filter((s) => s !== 4).length;
    expect(dense.evaluations.march).to.equal(100 * inSphere);
    expect(a.evaluations.march).to.be.lessThan(dense.evaluations.march / 5);
    // and each evaluation the count reports is one the SDF really made
    let made = 0;
    const counting = functionSdf(
      (p: Tensor) => {
        made += p.shape[0];
        return sdf.distance(p);
      },
      { ...f64, distanceBound: true },
    );
    const c = sphereTrace(counting, cam, { threads: 1, steps: 100 });
    expect(made).to.equal(c.evaluations.march + c.evaluations.refine + c.evaluations.gradient * 7);
    expect(c.evaluations.march).to.equal(a.evaluations.march);
  });

  it('gives the same bits on one and two threads, gradients included', () => {
    const r = tensor(0.38, { dtype: 'float64', requiresGrad: true });
    const sdf = union([sphere({ radius: r, center: [-0.15, 0, 0] }), transform(box({ halfSize: [0.2, 0.3, 0.2], ...f64 }), { rotation: [0.1, 0.3, 0] })], { k: 0.05 });
    const cam = camera(96, 80); // two tasks of marching (sphereTrace.ts bandRows)
    const run = (threads: number) => {
      r.grad = null;
      const out = sphereTrace(sdf, cam, { threads, normals: 'centralDifferences' });
      backward([out.depth, out.minSdf, out.normal!], [seed(out.depth, 1), seed(out.minSdf, 2), seed(out.normal!, 3)]);
      return { out, grad: r.grad!.data[0] };
    };
    const one = run(1),
      two = run(2);
    expect(Array.from(two.out.depth.data)).to.deep.equal(Array.from(one.out.depth.data));
    expect(Array.from(two.out.minSdf.data)).to.deep.equal(Array.from(one.out.minSdf.data));
    expect(Array.from(two.out.normal!.data)).to.deep.equal(Array.from(one.out.normal!.data));
    expect(two.grad).to.equal(one.grad);
    expect(one.out.hit.filter((h) => h).length).to.be.greaterThan(100);
  });

  it('keeps every SDF value finite or throws NonFiniteError naming the point (fast path, twin, workers)', () => {
    const cam = camera(24, 24);
    const nan = functionSdf((p: Tensor) => fromArray(new Float64Array(p.shape[0]).fill(NaN), [p.shape[0]]), f64);
    expect(() => sphereTrace(nan, cam, { threads: 1 })).to.throw(NonFiniteError, /non-finite distance at point/);
    expect(() => sphereTraceReference(nan, cam)).to.throw(NonFiniteError, /non-finite distance at point/);
    const r = tensor(0.3, f64);
    const broken = sphere({ radius: r });
    r.data[0] = NaN; // as an optimizer step gone wrong would leave it
    expect(() => sphereTrace(broken, cam, { threads: 2 })).to.throw(NonFiniteError, /non-finite distance/);
  });

  it('throws typed errors for a camera inside the bounding sphere and for bad options', () => {
    const sdf = sphere({ radius: 0.3, ...f64 });
    const inside = Camera.lookAt({ eye: [0, 0, 0.9], target: [0, 0, 0], width: 8, height: 8 });
    expect(() => sphereTrace(sdf, inside)).to.throw(ArgumentError, /inside the bounding sphere/);
    expect(() => sphereTraceReference(sdf, inside)).to.throw(ArgumentError, /inside the bounding sphere/);
    const cam = camera(8, 8);
    expect(() => sphereTrace(sdf, cam, { boundingRadius: 3 })).to.throw(ArgumentError, /inside the bounding sphere/);
    expect(() => sphereTrace(sdf, cam, { stepz: 3 } as never)).to.throw(ArgumentError, /unknown option 'stepz'/);
    expect(() => sphereTrace(sdf, cam, { pyramid: [4, 1] })).to.throw(ArgumentError, /halve/);
    expect(() => sphereTrace(sdf, cam, { pose: { R: tensor([1, 0, 0], f64), t: tensor([0, 0, 3], f64) } })).to.throw(ShapeError, /pose\.R/);
    expect(() =>
      sphereTrace(sdf, cam, {
        pose: {
          R: tensor([
            [1, 0, 0],
            [0, 1, 0],
            [0, 0, 1],
          ]),
          t: tensor([0, 0, 3]),
        },
      }),
    ).to.throw(DTypeError, /float32 but the SDF is float64/);
    expect(() =>
      sphereTrace(sdf, cam, {
        pose: {
          R: tensor(
            [
              [2, 0, 0],
              [0, 1, 0],
              [0, 0, 1],
            ],
            f64,
          ),
          t: tensor([0, 0, 3], f64),
        },
      }),
    ).to.throw(ArgumentError, /not a rotation/);
    expect(() => sphereTrace({} as never, cam)).to.throw(ArgumentError, /must be an Sdf/);
  });

  it('marks rays that start inside the shape as no hit', () => {
    // a shape poking out of the bounding sphere: rays entering through it start inside
    const sdf = sphere({ radius: 1.2, center: [0, 0, 0.6], ...f64 });
    const render = sphereTrace(sdf, camera(16, 16), { threads: 1 });
    expect(render.hit.some((h) => h)).to.equal(false);
    expect(render.state.filter((s) => s === 3).length).to.be.greaterThan(50);
    expect(render.state.filter((s) => s === HIT).length).to.equal(0);
  });
});

function seed(t: Tensor, s: number): Float64Array {
  const g = new Float64Array(t.size);
  for (let i = 0; i < g.length; i++) g[i] = Math.sin(17.3 * i + s);
  return g;
}
