// The level set of a sampled scalar field as a closed triangle mesh, by naive surface nets (Gibson
// 1998): one vertex per grid cell that the surface crosses, at the mean of its crossing points on
// the cell's edges (each found by linear interpolation), and one quad per grid edge the surface
// crosses, joining the four cells around that edge. Welded by construction; the inside is where
// field > level, and faces wind counter-clockwise seen from outside (outward normals). The grid's
// outer layer counts as outside, so the surface is closed even where the inside reaches the bounds.

import { ArgumentError, ShapeError } from '../lib/errors.js';
import type { Mesh } from './mesh.js';
import { computeVertexNormals } from './shapes/vertexNormals.js';

export interface ScalarGrid {
  /** Samples at the grid points, x fastest: field[(k * ny + j) * nx + i] is at origin + step * (i, j, k). */
  field: ArrayLike<number>;
  dims: readonly [number, number, number];
  origin: readonly [number, number, number];
  /** Spacing of the grid points (the same along every axis). */
  step: number;
}

// corner c of a cell is at offset (c & 1, (c >> 1) & 1, (c >> 2) & 1); the 12 edges as corner pairs
const EDGES = [0, 1, 2, 3, 4, 5, 6, 7, 0, 2, 1, 3, 4, 6, 5, 7, 0, 4, 1, 5, 2, 6, 3, 7];

/** The surface field = level of `grid` (inside: field > level), with vertex normals. */
export function surfaceNets(grid: ScalarGrid, level = 0): Mesh {
  const [nx, ny, nz] = grid.dims;
  if (![nx, ny, nz].every((n) => Number.isInteger(n) && n >= 2)) throw new ArgumentError(`surfaceNets: dims must be three whole numbers >= 2, got [${grid.dims}].`);
  if (grid.field.length !== nx * ny * nz) throw new ShapeError(`surfaceNets: field has ${grid.field.length} values but dims [${grid.dims}] need ${nx * ny * nz}.`);
  if (!(grid.step > 0)) throw new ArgumentError(`surfaceNets: step must be a positive spacing, got ${grid.step}.`);
  const { field, origin, step } = grid;
  const at = (i: number, j: number, k: number) => (k * ny + j) * nx + i;
  const border = (i: number, j: number, k: number) => i === 0 || j === 0 || k === 0 || i === nx - 1 || j === ny - 1 || k === nz - 1;
  const inside = (i: number, j: number, k: number) => !border(i, j, k) && field[at(i, j, k)] > level;
  const value = (i: number, j: number, k: number) => (border(i, j, k) ? Math.min(level - 1e-9, field[at(i, j, k)]) : field[at(i, j, k)]);

  // one vertex per crossed cell (cells indexed by their lowest corner)
  const cellVertex = new Int32Array((nx - 1) * (ny - 1) * (nz - 1)).fill(-1);
  const cellAt = (i: number, j: number, k: number) => (k * (ny - 1) + j) * (nx - 1) + i;
  const positions: number[] = [];
  const corner = new Float64Array(8);
  for (let k = 0; k < nz - 1; k++) {
    for (let j = 0; j < ny - 1; j++) {
      for (let i = 0; i < nx - 1; i++) {
        let mask = 0;
        for (let c = 0; c < 8; c++) {
          const ci = i + (c & 1),
            cj = j + ((c >> 1) & 1),
            ck = k + ((c >> 2) & 1);
          corner[c] = value(ci, cj, ck);
          if (inside(ci, cj, ck)) mask |= 1 << c;
        }
        if (mask === 0 || mask === 255) continue;
        let sx = 0,
          sy = 0,
          sz = 0,
          count = 0;
        for (let e = 0; e < 24; e += 2) {
          const a = EDGES[e],
            b = EDGES[e + 1];
          if (((mask >> a) & 1) === ((mask >> b) & 1)) continue;
          const t = (level - corner[a]) / (corner[b] - corner[a]);
          sx += (a & 1) + t * ((b & 1) - (a & 1));
          sy += ((a >> 1) & 1) + t * (((b >> 1) & 1) - ((a >> 1) & 1));
          sz += ((a >> 2) & 1) + t * (((b >> 2) & 1) - ((a >> 2) & 1));
          count++;
        }
        cellVertex[cellAt(i, j, k)] = positions.length / 3;
        positions.push(origin[0] + step * (i + sx / count), origin[1] + step * (j + sy / count), origin[2] + step * (k + sz / count));
      }
    }
  }

  // one quad per crossed grid edge, around the edge's axis: counter-clockwise seen from the outside end
  const faces: number[] = [];
  const quad = (a: number, b: number, c: number, d: number, outwardPositive: boolean) => {
    if (outwardPositive) faces.push(a, b, c, a, c, d);
    else faces.push(a, d, c, a, c, b);
  };
  // (an edge needs its four cells inside the grid: the axes across it run over 1..n-2)
  for (let k = 1; k < nz - 1; k++) {
    for (let j = 1; j < ny - 1; j++) {
      for (let i = 0; i < nx - 1; i++) {
        // x edge (i, j, k) -> (i+1, j, k): cells around it in (y, z), counter-clockwise about +x
        const here = inside(i, j, k);
        if (here !== inside(i + 1, j, k)) quad(cellVertex[cellAt(i, j - 1, k - 1)], cellVertex[cellAt(i, j, k - 1)], cellVertex[cellAt(i, j, k)], cellVertex[cellAt(i, j - 1, k)], here);
      }
    }
  }
  for (let k = 1; k < nz - 1; k++) {
    for (let j = 0; j < ny - 1; j++) {
      for (let i = 1; i < nx - 1; i++) {
        // y edge: cells in (z, x), counter-clockwise about +y
        const here = inside(i, j, k);
        if (here !== inside(i, j + 1, k)) quad(cellVertex[cellAt(i - 1, j, k - 1)], cellVertex[cellAt(i - 1, j, k)], cellVertex[cellAt(i, j, k)], cellVertex[cellAt(i, j, k - 1)], here);
      }
    }
  }
  for (let k = 0; k < nz - 1; k++) {
    for (let j = 1; j < ny - 1; j++) {
      for (let i = 1; i < nx - 1; i++) {
        // z edge: cells in (x, y), counter-clockwise about +z
        const here = inside(i, j, k);
        if (here !== inside(i, j, k + 1)) quad(cellVertex[cellAt(i - 1, j - 1, k)], cellVertex[cellAt(i, j - 1, k)], cellVertex[cellAt(i, j, k)], cellVertex[cellAt(i - 1, j, k)], here);
      }
    }
  }
  const p = Float64Array.from(positions);
  const f = Uint32Array.from(faces);
  return { positions: p, faces: f, normals: computeVertexNormals(p, f) };
}
