// A small accumulator for generated meshes: parts are appended as vertex and face lists and the
// result is one Mesh. Parts that should shade with sharp edges keep their own vertices per face.

import type { Mesh } from '../mesh.js';
import { computeVertexNormals } from './vertexNormals.js';

export class MeshBuilder {
  readonly positions: number[] = [];
  readonly faces: number[] = [];

  /** Adds a vertex; returns its index. */
  vertex(x: number, y: number, z: number): number {
    this.positions.push(x, y, z);
    return this.positions.length / 3 - 1;
  }

  /** A triangle, counter-clockwise seen from outside. */
  triangle(a: number, b: number, c: number): void {
    this.faces.push(a, b, c);
  }

  /** A quad a b c d, counter-clockwise seen from outside, as two triangles. */
  quad(a: number, b: number, c: number, d: number): void {
    this.faces.push(a, b, c, a, c, d);
  }

  /** Appends another mesh's vertices and faces. */
  append(mesh: Mesh): void {
    const base = this.positions.length / 3;
    for (const v of mesh.positions) this.positions.push(v);
    for (const f of mesh.faces) this.faces.push(base + f);
  }

  /** The mesh, with area-weighted vertex normals (sharp where parts keep separate vertices). */
  build(): Mesh {
    const positions = new Float64Array(this.positions);
    const faces = new Uint32Array(this.faces);
    return { positions, faces, normals: computeVertexNormals(positions, faces) };
  }
}
