import { expect } from 'chai';
import { ArgumentError } from '../../lib/errors.js';
import { Random } from '../../lib/random.js';
import type { Camera } from '../../geometry/camera.js';
import { distanceToFill, fibonacciDirections, fibonacciViews, gridViews, randomViews } from '../../geometry/views.js';

const target = [0.5, -1, 2];

function unitFromTarget(cam: Camera): number[] {
  const c = cam.center;
  const d = [c[0] - target[0], c[1] - target[1], c[2] - target[2]];
  const n = Math.hypot(d[0], d[1], d[2]);
  return d.map((v) => v / n);
}

function minPairwiseAngle(dirs: number[][]): number {
  let min = Infinity;
  for (let i = 0; i < dirs.length; i++) {
    for (let j = i + 1; j < dirs.length; j++) {
      const c = dirs[i][0] * dirs[j][0] + dirs[i][1] * dirs[j][1] + dirs[i][2] * dirs[j][2];
      min = Math.min(min, Math.acos(Math.min(1, Math.max(-1, c))));
    }
  }
  return min;
}

function expectLooksAtTarget(cams: Camera[]): void {
  for (const cam of cams) {
    const { pixels } = cam.project(target);
    expect(pixels[0]).to.be.closeTo(cam.width / 2, 1e-9);
    expect(pixels[1]).to.be.closeTo(cam.height / 2, 1e-9);
  }
}

describe('views', () => {
  it('distanceToFill: a sphere at that distance projects to the requested fraction of the frame', () => {
    const d = distanceToFill(2, 60, 0.5);
    // the silhouette's angular radius is asin(r/d); its image radius f tan(asin(r/d)) = 0.5 f tan(30 deg)
    expect(Math.tan(Math.asin(2 / d))).to.be.closeTo(0.5 * Math.tan(Math.PI / 6), 1e-12);
    expect(distanceToFill(1, 60, 0.9)).to.be.lessThan(distanceToFill(1, 60, 0.5));
    expect(() => distanceToFill(0, 60, 0.5)).to.throw(ArgumentError, /radius/);
    expect(() => distanceToFill(1, 60, -1)).to.throw(ArgumentError, /fraction/);
  });

  it('fibonacciViews spread evenly: every pairwise angle is bounded below, and they look at the target', () => {
    const n = 40;
    const cams = fibonacciViews(n, { target, radius: 0.5, width: 40, height: 30, fill: 0.7 });
    expect(cams).to.have.length(n);
    const dirs = cams.map(unitFromTarget);
    // mean spacing on the sphere is about sqrt(4 pi / n); an even set keeps its closest pair near that
    const spacing = Math.sqrt((4 * Math.PI) / n);
    expect(minPairwiseAngle(dirs)).to.be.greaterThan(0.6 * spacing);
    // all at the same distance
    const d0 = Math.hypot(...cams[0].center.map((c, i) => c - target[i]));
    for (const c of cams) expect(Math.hypot(...c.center.map((v, i) => v - target[i]))).to.be.closeTo(d0, 1e-9);
    expectLooksAtTarget(cams);
    // balanced: the directions average to (nearly) zero
    const mean = [0, 1, 2].map((k) => dirs.reduce((s, d) => s + d[k], 0) / n);
    expect(Math.hypot(...mean)).to.be.lessThan(0.05);
  });

  it('the same spacing bound fails for random directions (the check can fail)', () => {
    const n = 40;
    const dirs = randomViews(n, { seed: 1, target }).map(unitFromTarget);
    expect(minPairwiseAngle(dirs)).to.be.lessThan(0.6 * Math.sqrt((4 * Math.PI) / n));
    expect(minPairwiseAngle(fibonacciDirections(n))).to.be.greaterThan(0.6 * Math.sqrt((4 * Math.PI) / n));
  });

  it('randomViews is reproducible for a seed and looks at the target', () => {
    const a = randomViews(5, { seed: 9, target });
    const b = randomViews(5, { seed: 9, target });
    const c = randomViews(5, { seed: 10, target });
    expect(a.map((x) => x.toJSON())).to.deep.equal(b.map((x) => x.toJSON()));
    expect(a[0].toJSON()).to.not.deep.equal(c[0].toJSON());
    expectLooksAtTarget(a);
  });

  it('gridViews: elevations x azimuths, at the given distance, poles included', () => {
    const cams = gridViews([0, 90, 180], [-90, 0, 45, 90], { target, distance: 3 });
    expect(cams).to.have.length(12);
    expectLooksAtTarget(cams);
    // elevation 0, azimuth 90: on +x of the target
    const c = cams[3 + 1].center;
    [target[0] + 3, target[1], target[2]].forEach((v, i) => expect(c[i]).to.be.closeTo(v, 1e-12));
    // elevation 90: straight above
    expect(cams[9].center[1]).to.be.closeTo(target[1] + 3, 1e-12);
    expect(() => gridViews([0], [100])).to.throw(ArgumentError, /elevations\[0\]/);
    expect(() => gridViews([], [0])).to.throw(ArgumentError, /azimuths/);
  });

  it('fills the frame as asked: the bounding sphere spans `fill` of the smaller side', () => {
    const [cam] = fibonacciViews(1, { target, radius: 0.5, width: 80, height: 60, fovY: 45, fill: 0.5 });
    // the silhouette edge of the sphere: a point at angular radius asin(r/d) off the axis, in the image plane direction
    const d = Math.hypot(...cam.center.map((v, i) => v - target[i]));
    const ray = cam.rayThroughPixel(40, 30 - 0.5 * 30); // half-way from the centre to the top edge
    const f = cam.forward;
    const cosAngle = ray.direction[0] * f[0] + ray.direction[1] * f[1] + ray.direction[2] * f[2];
    expect(Math.acos(cosAngle)).to.be.closeTo(Math.asin(0.5 / d), 1e-9);
  });

  it('rejects a bad view count', () => {
    expect(() => fibonacciViews(0)).to.throw(ArgumentError, /n must be a positive integer/);
    expect(() => randomViews(2.5)).to.throw(ArgumentError, /n must be/);
  });
});

describe('distanceToFrame (views framed by points)', () => {
  it('puts every point inside `fill` of the frame and one of them on that bound', () => {
    const rng = new Random(4);
    const points = new Float64Array(3 * 200).map(() => rng.uniform(-1, 1) * 0.7);
    for (const cam of fibonacciViews(8, { points, target: [0.1, 0, 0], width: 64, height: 48, fill: 0.8 })) {
      const c = cam.toCamera(points);
      let worst = 0;
      for (let k = 0; k < 200; k++) {
        const z = c[3 * k + 2];
        expect(z).to.be.greaterThan(0);
        worst = Math.max(worst, Math.abs((cam.fx * c[3 * k]) / z) / 32, Math.abs((cam.fy * c[3 * k + 1]) / z) / 24);
      }
      expect(worst).to.be.closeTo(0.8, 1e-9);
    }
    expect(() => fibonacciViews(2, { points: [0, 0] })).to.throw(ArgumentError, /xyz triples/);
  });
});
