import { expect } from 'chai';
import { ArgumentError, ShapeError } from '../../lib/errors.js';
import { Random } from '../../lib/random.js';
import { loadMesh } from '../../geometry/loadMesh.js';
import { chamferDistance } from '../../geometry/metrics.js';
import { samplePoints } from '../../geometry/sampling.js';
import { BAND, imlsAt, meshFromPoints, prepare, sampleImls } from '../../geometry/surfaceFromPoints.js';
import type { Mesh } from '../../geometry/mesh.js';

/** Every edge in exactly two faces, once each way. */
function closedAndOriented(m: Mesh): boolean {
  const V = m.positions.length / 3;
  const seen = new Map<number, number>();
  for (let f = 0; f < m.faces.length; f += 3) {
    for (let k = 0; k < 3; k++) {
      const a = m.faces[f + k],
        b = m.faces[f + ((k + 1) % 3)];
      seen.set(a * V + b, (seen.get(a * V + b) ?? 0) + 1);
    }
  }
  for (const [key, count] of seen) if (count !== 1 || seen.get((key % V) * V + Math.floor(key / V)) !== 1) return false;
  return true;
}

function volume(m: Mesh): number {
  let v = 0;
  const P = m.positions;
  for (let f = 0; f < m.faces.length; f += 3) {
    const [a, b, c] = [3 * m.faces[f], 3 * m.faces[f + 1], 3 * m.faces[f + 2]];
    v += (P[a] * (P[b + 1] * P[c + 2] - P[b + 2] * P[c + 1]) - P[a + 1] * (P[b] * P[c + 2] - P[b + 2] * P[c]) + P[a + 2] * (P[b] * P[c + 1] - P[b + 1] * P[c])) / 6;
  }
  return v;
}

describe('meshFromPoints (IMLS + marching cubes)', () => {
  it('makes a closed, outward sphere from its oriented samples', () => {
    const cloud = samplePoints(loadMesh('sphere'), 3000, { seed: 1 });
    const r = meshFromPoints(cloud, { resolution: 64 });
    expect(closedAndOriented(r.mesh)).to.equal(true);
    let worst = 0;
    for (let v = 0; v < r.mesh.positions.length; v += 3) worst = Math.max(worst, Math.abs(Math.hypot(r.mesh.positions[v], r.mesh.positions[v + 1], r.mesh.positions[v + 2]) - 0.5));
    expect(worst, 'every vertex near the radius').to.be.lessThan(0.01);
    // IMLS bulges out on convex parts by about h^2 / (2 radius): here some 2.5% of the volume
    expect(volume(r.mesh) / volume(loadMesh('sphere')) - 1, 'the volume of the sampled icosphere').to.be.within(0, 0.03);
    expect(r.bandwidth).to.be.closeTo(2 * r.spacing, 1e-12);
  });

  it('keeps inside and outside apart across a wide hole in the cloud (no inner wall)', () => {
    const full = samplePoints(loadMesh('sphere'), 3000, { seed: 5 });
    const keep: number[] = [];
    for (let i = 0; i < 3000; i++) if (full.positions[3 * i + 2] < 0.35) keep.push(i); // a cap of radius ~0.36 cut off
    const pick = (a: Float64Array) => Float64Array.from(keep.flatMap((i) => [a[3 * i], a[3 * i + 1], a[3 * i + 2]]));
    const r = meshFromPoints({ positions: pick(full.positions), normals: pick(full.normals!) }, { resolution: 64 });
    expect(closedAndOriented(r.mesh)).to.equal(true);
    // a flood fill from the border would reach the inside through the hole and double the wall
    expect(volume(r.mesh) / volume(loadMesh('sphere'))).to.be.within(0.9, 1.05);
  });

  it('samples the same IMLS values on the grid as the formula does point by point', () => {
    const cloud = samplePoints(loadMesh('sphere'), 800, { seed: 2 });
    const s = prepare(cloud, undefined, 'spec');
    const grid = { n: [20, 20, 12] as [number, number, number], min: [-0.6, -0.6, -0.35] as [number, number, number], step: 0.063 };
    const values = sampleImls(s, grid);
    let compared = 0,
      inside = 0,
      outside = 0;
    for (let k = 0, g = 0; k < 12; k++) {
      for (let j = 0; j < 20; j++) {
        for (let i = 0; i < 20; i++, g++) {
          const x = grid.min[0] + i * grid.step,
            y = grid.min[1] + j * grid.step,
            z = grid.min[2] + k * grid.step;
          const v = Math.abs(values[g]) === BAND * s.bandwidth ? null : values[g];
          if (v === null) {
            if (values[g] > 0) outside++;
            else inside++;
            continue;
          }
          expect(v).to.be.closeTo(imlsAt(s, x, y, z)!, 1e-12);
          compared++;
        }
      }
    }
    expect(compared, 'grid points in the band').to.be.greaterThan(300);
    expect(outside, 'far points outside').to.be.greaterThan(100);
    expect(inside, 'far points inside the sphere').to.be.greaterThan(0);
  });

  it("meshes the bunny within 20% of its sample's own Chamfer to the surface, and stray points do not leave bubbles", () => {
    const truthMesh = loadMesh('bunny');
    const truth = samplePoints(truthMesh, 20000, { seed: 2 }).positions;
    const cloud = samplePoints(truthMesh, 4000, { seed: 7 });
    // a few stray points off the surface, with random normals
    const rng = new Random(3);
    const positions = new Float64Array(cloud.positions.length + 3 * 6),
      normals = new Float64Array(positions.length);
    positions.set(cloud.positions);
    normals.set(cloud.normals!);
    for (let k = cloud.positions.length; k < positions.length; ) {
      const p = [rng.uniform(-0.5, 0.5), rng.uniform(-0.5, 0.5), rng.uniform(-0.5, 0.5)];
      let near = Infinity;
      for (let t = 0; t < truth.length; t += 3) near = Math.min(near, Math.hypot(truth[t] - p[0], truth[t + 1] - p[1], truth[t + 2] - p[2]));
      if (near < 0.1) continue; // strays are away from the surface
      for (let c = 0; c < 3; c++) {
        positions[k + c] = p[c];
        normals[k + c] = rng.normal();
      }
      k += 3;
    }
    const r = meshFromPoints({ positions, normals }, { resolution: 96 });
    expect(r.outliers, 'the stray points are left out').to.equal(6);
    expect(closedAndOriented(r.mesh)).to.equal(true);
    const own = chamferDistance(cloud.positions, truth).chamfer;
    const mesh = chamferDistance(samplePoints(r.mesh, 4000, { seed: 3 }).positions, truth).chamfer;
    expect(mesh / own, `mesh ${mesh} vs cloud ${own}`).to.be.lessThan(1.2);
  });

  it('rejects clouds without usable normals and bad options', () => {
    const cloud = samplePoints(loadMesh('sphere'), 100, { seed: 4 });
    expect(() => meshFromPoints({ positions: cloud.positions })).to.throw(ArgumentError, /normal per point/);
    expect(() => meshFromPoints({ positions: cloud.positions, normals: new Float64Array(300) })).to.throw(ArgumentError, /zero length/);
    expect(() => meshFromPoints({ positions: new Float64Array(4), normals: new Float64Array(4) })).to.throw(ShapeError, /xyz/);
    expect(() => meshFromPoints(cloud, { resolution: 4 })).to.throw(ArgumentError, /resolution/);
    expect(() => meshFromPoints(cloud, { bandwidth: -1 })).to.throw(ArgumentError, /bandwidth/);
  });
});
