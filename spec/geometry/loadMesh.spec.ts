import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArgumentError } from '../../lib/errors.js';
import { formatObj } from '../../geometry/io/obj.js';
import { readPly } from '../../geometry/io/ply.js';
import { BUILT_IN_SHAPES, loadMesh, loadPointCloud, saveMesh, savePointCloud } from '../../geometry/loadMesh.js';
import { boundingBox } from '../../geometry/mesh.js';

describe('loadMesh / loadPointCloud / savePointCloud', () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'splatgrad-load-'));
  });
  after(() => rmSync(dir, { recursive: true }));

  it('loads every built-in by name, with normals', () => {
    for (const name of BUILT_IN_SHAPES) {
      const mesh = loadMesh(name);
      expect(mesh.faces.length, name).to.be.greaterThan(0);
      expect(mesh.normals!.length, name).to.equal(mesh.positions.length);
    }
  });

  it('loads .obj and .ply files (any case of extension), adding normals to a file without them', () => {
    // a right tetrahedron, counter-clockwise seen from outside
    const tet = { positions: new Float64Array([0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 2]), faces: new Uint32Array([0, 2, 1, 0, 1, 3, 0, 3, 2, 1, 2, 3]) };
    writeFileSync(join(dir, 'tet.OBJ'), formatObj(tet));
    saveMesh(join(dir, 'tet.ply'), tet);
    for (const file of ['tet.OBJ', 'tet.ply']) {
      const mesh = loadMesh(join(dir, file));
      expect(Array.from(mesh.positions)).to.deep.equal(Array.from(tet.positions));
      // vertex 3 = (0, 0, 2): its faces face -x, -y and the slanted +x+y+z side; the sum points up and out
      expect(mesh.normals![11]).to.be.greaterThan(0);
      const normalized = loadMesh(join(dir, file), { normalize: true });
      const { min, max, center } = boundingBox(normalized.positions);
      expect(max[0] - min[0]).to.be.closeTo(1, 1e-12);
      expect(min[0] + max[0]).to.be.closeTo(0, 1e-12);
      expect(center[0]).to.be.closeTo(0, 1e-12);
      expect(boundingBox(Float64Array.from([1, 2, 3, 3, 6, -1])).center).to.deep.equal([2, 4, 1]);
    }
  });

  it('names the valid choices for an unknown name or extension, and rejects missing files and point clouds', () => {
    expect(() => loadMesh('dragon')).to.throw(ArgumentError, /'dragon' is not a \.obj or \.ply file nor a built-in shape \(sphere, cube, torus, grid, teapot, bunny, trefoil, /);
    expect(() => loadMesh('model.stl')).to.throw(ArgumentError, /model\.stl.*sphere, cube/);
    expect(() => loadMesh(join(dir, 'absent.ply'))).to.throw(ArgumentError, /no file at .*absent\.ply/);
    savePointCloud(join(dir, 'points.ply'), { positions: new Float64Array([0, 0, 0, 1, 1, 1]) });
    expect(() => loadMesh(join(dir, 'points.ply'))).to.throw(ArgumentError, /has no faces, so it is a point cloud; load it with loadPointCloud/);
    expect(() => savePointCloud(join(dir, 'x.xyz'), { positions: new Float64Array(3) })).to.throw(ArgumentError, /savePointCloud: '.*x\.xyz' is not a \.obj or \.ply file; pass one of those/);
  });

  it('saves and loads point clouds by extension, dropping the faces of a mesh', () => {
    const sphere = loadMesh('sphere');
    for (const file of ['cloud.ply', 'cloud.obj']) {
      const path = join(dir, file);
      savePointCloud(path, sphere);
      const cloud = loadPointCloud(path);
      expect(Array.from(cloud.positions)).to.deep.equal(Array.from(sphere.positions));
      expect(Array.from(cloud.normals!)).to.deep.equal(Array.from(sphere.normals!));
      expect(cloud.colors).to.equal(undefined);
    }
    expect(readPly(join(dir, 'cloud.ply')).faces.length).to.equal(0);
    savePointCloud(join(dir, 'ascii.ply'), { positions: new Float64Array([1, 2, 3]) }, { format: 'ascii' });
    expect(Array.from(loadPointCloud(join(dir, 'ascii.ply')).positions)).to.deep.equal([1, 2, 3]);
  });
});
