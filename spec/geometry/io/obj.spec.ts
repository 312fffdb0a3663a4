import { expect } from 'chai';
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

  it('averages the different normals that corners give one vertex (a crease) and keeps shared ones exact', () => {
    const text = 'v 0 0 0\nv 1 0 0\nv 0 1 0\nv 0 0 1\nvn 0 0 1\nvn 1 0 0\nf 1//1 2//1 3//1\nf 1//2 3//2 4//2\n';
    const mesh = parseObj(text, 'crease.obj');
    const n = mesh.normals!;
    expect(n[0]).to.be.closeTo(Math.SQRT1_2, 1e-15); // vertex 1: (0,0,1) and (1,0,0) averaged
    expect(n[2]).to.be.closeTo(Math.SQRT1_2, 1e-15);
    expect(Array.from(n.subarray(3, 6))).to.deep.equal([0, 0, 1]);
    expect(Array.from(n.subarray(9, 12))).to.deep.equal([1, 0, 0]);
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
