import { expect } from 'chai';
import { samplePoints } from '../../../geometry/sampling.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArgumentError, NonFiniteError, ShapeError } from '../../../lib/errors.js';
import { formatObj, parseObj, readObj, writeObj } from '../../../geometry/io/obj.js';
import { tetrahedron } from './tetrahedron.js';

describe('OBJ files', () => {
  it('round-trips a mesh with normals and colours exactly', () => {
    const mesh = tetrahedron();
    const text = formatObj(mesh);
    expect(text).to.match(/^f 1\/\/1 2\/\/2 3\/\/3$/m);
    const back = parseObj(text, 'tet.obj');
    expect(Array.from(back.positions)).to.deep.equal(Array.from(mesh.positions));
    expect(Array.from(back.faces)).to.deep.equal(Array.from(mesh.faces));
    expect(Array.from(back.normals!)).to.deep.equal(Array.from(mesh.normals!));
    expect(Array.from(back.colors!)).to.deep.equal(Array.from(mesh.colors!));
  });

  it('round-trips a point cloud (no faces) with normals by vertex order', () => {
    const { positions, normals } = tetrahedron();
    const back = parseObj(formatObj({ positions, normals }), 'cloud.obj');
    expect(back.faces.length).to.equal(0);
    expect(Array.from(back.positions)).to.deep.equal(Array.from(positions));
    expect(Array.from(back.normals!)).to.deep.equal(Array.from(normals!));
    expect(back.colors).to.equal(undefined);
  });

  it('writes and reads a file on disk', () => {
    const dir = mkdtempSync(join(tmpdir(), 'splatgrad-obj-'));
    try {
      const path = join(dir, 'tet.obj');
      writeObj(path, tetrahedron());
      expect(Array.from(readObj(path).positions)).to.deep.equal(Array.from(tetrahedron().positions));
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  it('reads every face-corner form, negative indices and polygons (fan-triangulated), ignoring vt, groups and materials', () => {
    const text = [
      '# a unit square and a triangle',
      'mtllib x.mtl',
      'o square',
      'g g1',
      's off',
      'usemtl red',
      'v 0 0 0',
      'v 1 0 0',
      'v 1 1 0',
      'v 0 1 0',
      'vt 0 0',
      'vt 1 0',
      'vt 1 1',
      'vt 0 1',
      'vn 0 0 1',
      'f 1/1/1 2/2/1 3/3/1 4/4/1',
      'v 0 0 1\r',
      'f -5//1 -4//1 -1//1',
      'l 1 2',
    ].join('\n');
    const mesh = parseObj(text, 'forms.obj');
    expect(mesh.positions.length).to.equal(15);
    expect(Array.from(mesh.faces)).to.deep.equal([0, 1, 2, 0, 2, 3, 0, 1, 4]);
    expect(Array.from(mesh.normals!.subarray(0, 3))).to.deep.equal([0, 0, 1]);
    const plain = parseObj('v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1/1 2/2 3/3\n', 'vt.obj');
    expect(Array.from(plain.faces)).to.deep.equal([0, 1, 2]);
    expect(plain.normals).to.equal(undefined);
  });

  it("splits a vertex whose corners name different normals (a crease), keeping the file's normals exactly", () => {
    const text = 'v 0 0 0 1 0 0\nv 1 0 0 0 1 0\nv 0 1 0 0 0 1\nv 0 0 1 1 1 1\nvn 0 0 1\nvn 1 0 0\nf 1//1 2//1 3//1\nf 1//2 3//2 4//2\n';
    const mesh = parseObj(text, 'crease.obj');
    // vertices 1 and 3 are on both faces: each gets a copy for its second normal
    expect(mesh.positions.length / 3).to.equal(6);
    expect(Array.from(mesh.faces)).to.deep.equal([0, 1, 2, 4, 5, 3]);
    expect(Array.from(mesh.positions.subarray(12, 18))).to.deep.equal([0, 0, 0, 0, 1, 0]);
    const n = mesh.normals!;
    for (const v of [0, 1, 2]) expect(Array.from(n.subarray(3 * v, 3 * v + 3)), `vertex ${v}`).to.deep.equal([0, 0, 1]);
    for (const v of [3, 4, 5]) expect(Array.from(n.subarray(3 * v, 3 * v + 3)), `vertex ${v}`).to.deep.equal([1, 0, 0]);
    expect(Array.from(mesh.colors!.subarray(12, 18))).to.deep.equal([1, 0, 0, 0, 0, 1]);
  });

  it('honours one vn per side of a cube: it samples and renders with flat sides', () => {
    const corners = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => `v ${i & 1 ? 1 : -1} ${i & 2 ? 1 : -1} ${i & 4 ? 1 : -1}`);
    // each side: its four corners counter-clockwise from outside, and its normal
    const sides: [number[], string][] = [
      [[0, 4, 6, 2], '-1 0 0'],
      [[1, 3, 7, 5], '1 0 0'],
      [[0, 1, 5, 4], '0 -1 0'],
      [[2, 6, 7, 3], '0 1 0'],
      [[0, 2, 3, 1], '0 0 -1'],
      [[4, 5, 7, 6], '0 0 1'],
    ];
    const text = [...corners, ...sides.map(([, n]) => `vn ${n}`), ...sides.map(([q], s) => `f ${q.map((v) => `${v + 1}//${s + 1}`).join(' ')}`)].join('\n');
    const mesh = parseObj(text, 'cube.obj');
    expect(mesh.positions.length / 3, 'each corner once per side').to.equal(24);
    const cloud = samplePoints(mesh, 600, { seed: 1 });
    let onTop = 0;
    for (let k = 0; k < 600; k++) {
      if (Math.abs(cloud.positions[3 * k + 2] - 1) > 1e-9) continue;
      onTop++;
      expect(Array.from(cloud.normals!.subarray(3 * k, 3 * k + 3))).to.deep.equal([0, 0, 1]);
    }
    expect(onTop).to.be.greaterThan(50);
  });

  it('takes colours above 1 as 0-255', () => {
    const mesh = parseObj('v 0 0 0 255 0 51\nv 1 0 0 0 255 0\nv 0 1 0 0 0 0\nf 1 2 3\n', 'bytes.obj');
    expect(Array.from(mesh.colors!.subarray(0, 3))).to.deep.equal([1, 0, Math.fround(0.2)]);
  });

  it('names the line of a malformed statement', () => {
    expect(() => parseObj('v 0 0 0\nv 1 x 0\n', 'bad.obj')).to.throw(ArgumentError, /bad\.obj: line 2: 'x' in vertex 1 is not a number/);
    expect(() => parseObj('v 0 0\n', 'short.obj')).to.throw(ArgumentError, /short\.obj: line 1: 'v' needs 3 numbers/);
    expect(() => parseObj('v 0 0 0\nv 1 0 0\nf 1 2\n', 'f.obj')).to.throw(ArgumentError, /f\.obj: line 3: a face needs at least 3 vertices/);
    expect(() => parseObj('v 0 0 0\nv 1 0 0\nv 0 1 0\n\nf 1 2 4\n', 'range.obj')).to.throw(ArgumentError, /range\.obj: line 5: vertex index 4 is out of range: 3 vertices/);
    expect(() => parseObj('v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 0\n', 'zero.obj')).to.throw(ArgumentError, /line 4: vertex index 0 is out of range/);
    expect(() => parseObj('v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 -4\n', 'neg.obj')).to.throw(ArgumentError, /line 4: vertex index -4 is out of range/);
    expect(() => parseObj('v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3.5\n', 'frac.obj')).to.throw(ArgumentError, /line 4: '3.5' is not a vertex index/);
    expect(() => parseObj('v 0 0 0 1 1 1\nv 1 0 0\n', 'mixed.obj')).to.throw(ArgumentError, /mixed\.obj: line 2: vertex 1 has no colour but the vertex on line 1 has/);
    expect(() => parseObj('v 0 0 0\nv 1 0 0\nv 0 1 0\nvn 0 0 1\nf 1//1 2 3\n', 'some.obj')).to.throw(ArgumentError, /some face corners name a normal/);
    expect(() => parseObj('v 0 0 0\nv 1 0 0\nvn 0 0 1\n', 'count.obj')).to.throw(ArgumentError, /1 'vn' lines for 2 vertices/);
  });

  it('rejects NaN and infinite coordinates with NonFiniteError naming the line and vertex', () => {
    expect(() => parseObj('v 0 0 0\nv 1 nan 0\n', 'nan.obj')).to.throw(NonFiniteError, /nan\.obj: line 2: vertex 1 has a non-finite value 'nan'/);
    expect(() => parseObj('v 0 0 0\nv 1 0 -inf\n', 'inf.obj')).to.throw(NonFiniteError, /line 2: vertex 1/);
    expect(() => parseObj('v 0 0 0\nvn 0 NaN 1\n', 'vn.obj')).to.throw(NonFiniteError, /line 2: normal 0/);
  });

  it('refuses to write invalid data', () => {
    const mesh = tetrahedron();
    mesh.normals![4] = NaN;
    expect(() => formatObj(mesh)).to.throw(NonFiniteError, /data\.normals/);
    expect(() => formatObj({ positions: new Float64Array(4) })).to.throw(ShapeError, /data\.positions/);
  });
});
