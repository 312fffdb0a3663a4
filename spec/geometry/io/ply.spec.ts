import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArgumentError, NonFiniteError } from '../../../lib/errors.js';
import { formatPly, parsePly, readPly, writePly, type PlyFormat } from '../../../geometry/io/ply.js';
import { tetrahedron } from './tetrahedron.js';

const text = (s: string) => new TextEncoder().encode(s);

/** A binary file: `header` lines, then the values written in order with the given types. */
function binaryPly(header: string[], values: [string, number][], little = true): Uint8Array {
  const head = text(`ply\nformat binary_${little ? 'little' : 'big'}_endian 1.0\n${header.join('\n')}\nend_header\n`);
  const size = { i8: 1, u8: 1, i16: 2, u16: 2, i32: 4, u32: 4, f32: 4, f64: 8 } as Record<string, number>;
  const bytes = new Uint8Array(head.length + values.reduce((s, [t]) => s + size[t], 0));
  bytes.set(head);
  const view = new DataView(bytes.buffer);
  let at = head.length;
  for (const [t, v] of values) {
    switch (t) {
      case 'i8':
        view.setInt8(at, v);
        break;
      case 'u8':
        view.setUint8(at, v);
        break;
      case 'i16':
        view.setInt16(at, v, little);
        break;
      case 'u16':
        view.setUint16(at, v, little);
        break;
      case 'i32':
        view.setInt32(at, v, little);
        break;
      case 'u32':
        view.setUint32(at, v, little);
        break;
      case 'f32':
        view.setFloat32(at, v, little);
        break;
      case 'f64':
        view.setFloat64(at, v, little);
        break;
    }
    at += size[t];
  }
  return bytes;
}

describe('PLY files', () => {
  describe('round trips', () => {
    for (const format of ['ascii', 'binary_little_endian', 'binary_big_endian'] as PlyFormat[]) {
      it(`${format}: a mesh with normals (exact) and uchar colours (to 1/255)`, () => {
        const mesh = tetrahedron();
        const bytes = formatPly(mesh, { format });
        expect(new TextDecoder().decode(bytes.subarray(0, 40))).to.contain(`format ${format} 1.0`);
        const back = parsePly(bytes, 'tet.ply');
        expect(Array.from(back.positions)).to.deep.equal(Array.from(mesh.positions));
        expect(Array.from(back.normals!)).to.deep.equal(Array.from(mesh.normals!));
        expect(Array.from(back.faces)).to.deep.equal(Array.from(mesh.faces));
        back.colors!.forEach((c, i) => expect(c).to.be.closeTo(mesh.colors![i], 0.5 / 255 + 1e-7));
      });

      it(`${format}: a point cloud with float colours and float coordinates`, () => {
        const { positions, normals, colors } = tetrahedron();
        const back = parsePly(formatPly({ positions, normals, colors }, { format, coordinateType: 'float', colorType: 'float' }), 'cloud.ply');
        expect(back.faces.length).to.equal(0);
        expect(Array.from(back.positions)).to.deep.equal(Array.from(positions, Math.fround));
        expect(Array.from(back.normals!)).to.deep.equal(Array.from(normals!, Math.fround));
        expect(Array.from(back.colors!)).to.deep.equal(Array.from(colors!));
      });
    }

    it('writes and reads a file on disk; positions only stay positions only', () => {
      const dir = mkdtempSync(join(tmpdir(), 'splatgrad-ply-'));
      try {
        const path = join(dir, 'p.ply');
        writePly(path, { positions: new Float64Array([1, 2, 3, 4, 5, 6]) });
        const back = readPly(path);
        expect(Array.from(back.positions)).to.deep.equal([1, 2, 3, 4, 5, 6]);
        expect(back.normals).to.equal(undefined);
        expect(back.colors).to.equal(undefined);
      } finally {
        rmSync(dir, { recursive: true });
      }
    });
  });

  describe('reading what other programs write', () => {
    it('ASCII: skips unknown properties and elements, fan-triangulates polygons, reads vertex_index with an int count', () => {
      const file = [
        'ply',
        'format ascii 1.0',
        'comment from somewhere',
        'obj_info x',
        'element vertex 5',
        'property float x',
        'property float y',
        'property float z',
        'property uchar red',
        'property uchar green',
        'property uchar blue',
        'property uchar alpha',
        'property list uchar int extra',
        'property double confidence',
        'element edge 1',
        'property int vertex1',
        'property int vertex2',
        'element face 2',
        'property uchar flags',
        'property list int uint vertex_index',
        'property list uchar float texcoord',
        'end_header',
        '0 0 0 255 0 0 255 2 7 8 0.5',
        '1 0 0 0 255 0 255 0 0.5',
        '1 1 0 0 0 255 255 1 9 0.5',
        '0 1 0 51 51 51 255 0 0.5',
        '',
        '0.5 0.5 1 0 0 0 0 0 1',
        '0 1',
        '1 4 0 1 2 3 2 0.5 0.5',
        '0 3 0 1 4 0',
      ].join('\r\n');
      const mesh = parsePly(text(file), 'other.ply');
      expect(Array.from(mesh.positions)).to.deep.equal([0, 0, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0, 0.5, 0.5, 1]);
      expect(Array.from(mesh.faces)).to.deep.equal([0, 1, 2, 0, 2, 3, 0, 1, 4]);
      expect(Array.from(mesh.colors!.subarray(0, 12))).to.deep.equal([1, 0, 0, 0, 1, 0, 0, 0, 1, 0.2, 0.2, 0.2].map(Math.fround));
      expect(mesh.normals).to.equal(undefined);
    });

    it('binary: skips properties of every type by their size and reads mixed types', () => {
      const header = [
        'element vertex 2',
        'property char a',
        'property double x',
        'property short b',
        'property float y',
        'property ushort c',
        'property int z',
        'property uint d',
        'property list ushort short e',
        'property float nx',
        'property float ny',
        'property float nz',
        'element face 1',
        'property list uchar uint vertex_indices',
        'property int tag',
      ];
      const values: [string, number][] = [
        ['i8', -1],
        ['f64', 0.25],
        ['i16', -2],
        ['f32', 0.5],
        ['u16', 3],
        ['i32', -7],
        ['u32', 4],
        ['u16', 2],
        ['i16', 9],
        ['i16', 9],
        ['f32', 0],
        ['f32', 0],
        ['f32', 1],
        ['i8', 1],
        ['f64', 1.5],
        ['i16', 2],
        ['f32', -0.5],
        ['u16', 3],
        ['i32', 7],
        ['u32', 4],
        ['u16', 0],
        ['f32', 1],
        ['f32', 0],
        ['f32', 0],
        ['u8', 3],
        ['u32', 1],
        ['u32', 0],
        ['u32', 1],
        ['i32', 42],
      ];
      for (const little of [true, false]) {
        const mesh = parsePly(binaryPly(header, values, little), 'mixed.ply');
        expect(Array.from(mesh.positions)).to.deep.equal([0.25, 0.5, -7, 1.5, -0.5, 7]);
        expect(Array.from(mesh.normals!)).to.deep.equal([0, 0, 1, 1, 0, 0]);
        expect(Array.from(mesh.faces)).to.deep.equal([1, 0, 1]);
      }
    });
  });

  describe('bad files', () => {
    const asciiHeader = 'ply\nformat ascii 1.0\nelement vertex 3\nproperty float x\nproperty float y\nproperty float z\nend_header\n';

    it('ASCII: names the line where reading failed', () => {
      expect(() => parsePly(text(`${asciiHeader}0 0 0\n1 0 0\n`), 'short.ply')).to.throw(ArgumentError, /short\.ply: line 9: the file ends before vertex 2 \(the header declares 3\)/);
      expect(() => parsePly(text(`${asciiHeader}0 0 0\n1 0\n0 1 0\n`), 'few.ply')).to.throw(ArgumentError, /few\.ply: line 9: vertex 1 \(of 3\) ends before property 'z'/);
      expect(() => parsePly(text(`${asciiHeader}0 0 0\n1 0 0\n0 1 0 7\n`), 'many.ply')).to.throw(ArgumentError, /many\.ply: line 10: vertex 2 \(of 3\) has 1 value\(s\) more/);
      expect(() => parsePly(text(`${asciiHeader}0 0 0\n1 zero 0\n0 1 0\n`), 'word.ply')).to.throw(
        ArgumentError,
        /word\.ply: line 9: vertex 1 \(of 3\) has 'zero' for property 'y', which is not a number/,
      );
      const huge = asciiHeader.replace('element vertex 3', 'element vertex 1000000000');
      expect(() => parsePly(text(`${huge}0 0 0\n`), 'huge.ply')).to.throw(
        ArgumentError,
        /huge\.ply: line 9: the file is truncated: the header declares 1000000000 vertex \(one line each\), but the body has only 2 lines/,
      );
      expect(() => parsePly(text(`${asciiHeader}0 0 0\n1 0 0\n0 1 0\n5 5 5\n`), 'extra.ply')).to.throw(ArgumentError, /extra\.ply: line 11: data after the last element/);
      const faces = asciiHeader.replace('end_header', 'element face 1\nproperty list uchar int vertex_indices\nend_header');
      expect(() => parsePly(text(`${faces}0 0 0\n1 0 0\n0 1 0\n3 0 1 3\n`), 'index.ply')).to.throw(
        ArgumentError,
        /index\.ply: line 13: face 0 \(of 1\) refers to vertex 3, but the file has 3 vertices/,
      );
      expect(() => parsePly(text(`${faces}0 0 0\n1 0 0\n0 1 0\n3 0 1\n`), 'list.ply')).to.throw(ArgumentError, /list\.ply: line 13: face 0 \(of 1\) ends before property 'vertex_indices'/);
    });

    it('binary: names the byte offset where reading failed', () => {
      const header = ['element vertex 1', 'property float x', 'property float y', 'property float z', 'element face 1', 'property list uchar int vertex_indices'];
      const whole = binaryPly(header, [
        ['f32', 0],
        ['f32', 0],
        ['f32', 0],
        ['u8', 3],
        ['i32', 0],
        ['i32', 0],
        ['i32', 0],
      ]);
      const headerLength = whole.length - 12 - 13;
      // cut inside the face list: the fixed part (count byte) is there, the third index is not
      const cut = whole.subarray(0, whole.length - 2);
      expect(() => parsePly(cut, 'cut.ply')).to.throw(ArgumentError, new RegExp(`cut\\.ply: byte ${headerLength + 12 + 1 + 8}: the file ends while reading property 'vertex_indices' of face 0`));
      // cut inside the vertices: fewer bytes than the header's counts need at all
      const early = whole.subarray(0, headerLength + 6);
      expect(() => parsePly(early, 'early.ply')).to.throw(
        ArgumentError,
        new RegExp(
          `early\\.ply: byte ${headerLength + 6}: the file is truncated: the header declares 1 vertex, 1 face, which need at least 13 bytes after the header \\(from byte ${headerLength}\\), but only 6 remain`,
        ),
      );
      const wide = binaryPly(header, [
        ['f32', 0],
        ['f32', 0],
        ['f32', 0],
        ['u8', 2],
        ['i32', 0],
        ['i32', 0],
      ]);
      expect(() => parsePly(wide, 'two.ply')).to.throw(ArgumentError, new RegExp(`two\\.ply: byte ${headerLength + 13}: face 0 has 2 vertex indices; a face needs at least 3`));
    });

    it('rejects broken headers, naming the line', () => {
      expect(() => parsePly(text('solid cube\n'), 'stl.ply')).to.throw(ArgumentError, /stl\.ply: line 1: not a PLY file/);
      expect(() => parsePly(text('ply\nformat ascii 1.0\nelement vertex 1\n'), 'open.ply')).to.throw(ArgumentError, /open\.ply: line 4: the file ends inside the header/);
      expect(() => parsePly(text('ply\nformat ebcdic 1.0\nend_header\n'), 'fmt.ply')).to.throw(ArgumentError, /fmt\.ply: line 2: unknown format 'ebcdic'/);
      expect(() => parsePly(text('ply\nformat ascii 1.0\nelement vertex 1\nproperty real x\nend_header\n'), 'type.ply')).to.throw(
        ArgumentError,
        /type\.ply: line 4: expected 'property <type> <name>'/,
      );
      expect(() => parsePly(text('ply\nformat ascii 1.0\nelement vertex -1\nend_header\n'), 'count.ply')).to.throw(ArgumentError, /count\.ply: line 3: expected 'element <name> <count>'/);
      expect(() => parsePly(text('ply\nformat ascii 1.0\nelement vertex 1\nproperty float x\nproperty float y\nend_header\n0 0\n'), 'xy.ply')).to.throw(
        ArgumentError,
        /xy\.ply: element vertex has no scalar property 'z'/,
      );
      expect(() => parsePly(text('ply\nformat ascii 1.0\nproperty float x\nend_header\n'), 'orphan.ply')).to.throw(ArgumentError, /orphan\.ply: line 3: 'property' before any 'element'/);
    });

    it('rejects NaN coordinates and normals with NonFiniteError naming the file and vertex', () => {
      expect(() => parsePly(text(`${asciiHeader}0 0 0\n1 nan 0\n0 1 0\n`), 'nan.ply')).to.throw(NonFiniteError, /nan\.ply: vertex 1 has a non-finite coordinate \(NaN\)/);
      const header = ['element vertex 2', 'property float x', 'property float y', 'property float z', 'property float nx', 'property float ny', 'property float nz'];
      const values: [string, number][] = [0, 0, 0, 0, 0, 1, 1, 1, 1, Infinity, 0, 0].map((v) => ['f32', v]);
      expect(() => parsePly(binaryPly(header, values), 'inf.ply')).to.throw(NonFiniteError, /inf\.ply: vertex 1 has a non-finite normal \(Infinity\)/);
      const colored = asciiHeader.replace('end_header', 'property float red\nproperty float green\nproperty float blue\nend_header');
      expect(() => parsePly(text(`${colored}0 0 0 1 1 1\n1 0 0 1 1 1\n0 1 0 1 NaN 1\n`), 'rgb.ply')).to.throw(NonFiniteError, /rgb\.ply: vertex 2 has a non-finite colour/);
    });
  });
});
