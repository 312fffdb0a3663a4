import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randn, tensor } from '../../lib/create.js';
import { ArgumentError, DTypeError, NonFiniteError } from '../../lib/errors.js';
import { Linear } from '../../nn/linear.js';
import { MLP } from '../../nn/mlp.js';
import { SAFETENSORS_DTYPE_SIZES, decodeSafetensors, encodeSafetensors, loadSafetensors, saveSafetensors } from '../../nn/safetensors.js';

/** A file's bytes from a header object (serialized as given, padded to 8) and a data buffer. */
function fileBytes(header: object | string, data: Uint8Array, pad = true): Uint8Array {
  const json = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const n = pad ? json.length + ((8 - (json.length % 8)) % 8) : json.length;
  const out = new Uint8Array(8 + n + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(n), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + n);
  out.set(data, 8 + n);
  return out;
}

function float32Bytes(values: number[]): Uint8Array {
  const b = new Uint8Array(4 * values.length);
  const v = new DataView(b.buffer);
  values.forEach((x, i) => v.setFloat32(4 * i, x, true));
  return b;
}

/** Checks raw bytes against the format's rules, independently of the decoder. */
function checkFormat(bytes: Uint8Array): Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  expect(n % 8, 'header padded to a multiple of 8 bytes').to.equal(0);
  const text = new TextDecoder().decode(bytes.subarray(8, 8 + n));
  expect(text[0]).to.equal('{');
  expect(/\}( *)$/.test(text), 'only spaces after the JSON object').to.equal(true);
  const header = JSON.parse(text);
  const entries = Object.entries(header).filter(([k]) => k !== '__metadata__') as [string, { dtype: string; shape: number[]; data_offsets: [number, number] }][];
  let end = 0;
  const sorted = entries.slice().sort((a, b) => a[1].data_offsets[0] - b[1].data_offsets[0]);
  for (const [, e] of sorted) {
    expect(Object.keys(e).sort()).to.deep.equal(['data_offsets', 'dtype', 'shape']);
    expect(e.data_offsets[0], 'contiguous, no holes or overlaps').to.equal(end);
    expect(e.data_offsets[1] - e.data_offsets[0]).to.equal(e.shape.reduce((p, d) => p * d, 1) * SAFETENSORS_DTYPE_SIZES[e.dtype]);
    end = e.data_offsets[1];
  }
  expect(end, 'the data buffer is exactly covered').to.equal(bytes.length - 8 - n);
  if (header.__metadata__) for (const v of Object.values(header.__metadata__)) expect(typeof v).to.equal('string');
  return header;
}

describe('safetensors', () => {
  it('round-trips a module through a file whose header follows the format', () => {
    const dir = mkdtempSync(join(tmpdir(), 'splatgrad-st-'));
    try {
      const mlp = new MLP([3, 16, 16, 1], { seed: 4 });
      const path = join(dir, 'mlp.safetensors');
      saveSafetensors(path, mlp, { metadata: { format: 'pt', note: 'sphere' } });
      const { tensors, metadata } = loadSafetensors(path);
      expect(metadata).to.deep.equal({ format: 'pt', note: 'sphere' });
      expect(Object.keys(tensors).sort()).to.deep.equal(
        mlp
          .namedParameters()
          .map(([n]) => n)
          .sort(),
      );
      for (const [name, p] of mlp.namedParameters()) {
        expect(tensors[name].shape).to.deep.equal(p.shape);
        expect(tensors[name].dtype).to.equal('float32');
        expect(Array.from(tensors[name].data)).to.deep.equal(Array.from(p.data));
      }
      const other = new MLP([3, 16, 16, 1], { seed: 9 });
      other.loadStateDict(tensors);
      const x = randn([5, 3], { seed: 1 });
      expect(Array.from(other.forward(x).data)).to.deep.equal(Array.from(mlp.forward(x).data));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('writes mixed dtypes larger first, then by name, each range contiguous and the buffer aligned', () => {
    const bytes = encodeSafetensors({ b: tensor([1, 2, 3]), a: tensor([[1, 2]], { dtype: 'float64' }), c: tensor(5), empty: tensor([], { shape: [0, 3] }) });
    const header = checkFormat(bytes);
    expect(Object.keys(header)).to.deep.equal(['a', 'b', 'c', 'empty']);
    expect(header.a).to.deep.equal({ dtype: 'F64', shape: [1, 2], data_offsets: [0, 16] });
    expect(header.c).to.deep.equal({ dtype: 'F32', shape: [], data_offsets: [28, 32] });
    expect(header.empty.data_offsets).to.deep.equal([32, 32]);
    const back = decodeSafetensors(bytes).tensors;
    expect(back.a.dtype).to.equal('float64');
    expect(back.c.shape).to.deep.equal([]);
    expect(back.c.item()).to.equal(5);
    expect(back.empty.shape).to.deep.equal([0, 3]);
  });

  it("reads a file as PyTorch's safetensors writes it (compact JSON, metadata first, spaces to 8 bytes)", () => {
    // torch.nn.Linear(3, 2) saved with safetensors.torch.save_file(..., metadata={'format': 'pt'})
    const weight = [0.5, -1, 2, 0.25, 0, -0.75],
      bias = [0.1, -0.2];
    const header = '{"__metadata__":{"format":"pt"},"bias":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"weight":{"dtype":"F32","shape":[2,3],"data_offsets":[8,32]}}';
    const bytes = fileBytes(header, float32Bytes([...bias, ...weight]));
    checkFormat(bytes);
    const layer = new Linear(3, 2);
    layer.loadStateDict(decodeSafetensors(bytes).tensors);
    const y = layer.forward(tensor([[1, 2, 3]])).data;
    expect(y[0]).to.be.closeTo(0.5 - 2 + 6 + 0.1, 1e-6);
    expect(y[1]).to.be.closeTo(0.25 - 2.25 - 0.2, 1e-6);
    // the same without padding, and with the data ordered differently (only offsets matter)
    const unpadded = fileBytes('{"weight":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]},"bias":{"dtype":"F32","shape":[2],"data_offsets":[24,32]}}', float32Bytes([...weight, ...bias]), false);
    expect(Array.from(decodeSafetensors(unpadded).tensors.bias.data)).to.deep.equal(Array.from(new Float32Array(bias)));
  });

  it('reads F16 and BF16 as float32', () => {
    const data = new Uint8Array(8);
    const v = new DataView(data.buffer);
    v.setUint16(0, 0x3c00, true); // F16 1
    v.setUint16(2, 0xc500, true); // F16 -5
    v.setUint16(4, 0x3fc0, true); // BF16 1.5
    v.setUint16(6, 0x0001, true); // F16 smallest subnormal
    const t = decodeSafetensors(
      fileBytes(
        {
          h: { dtype: 'F16', shape: [2], data_offsets: [0, 4] },
          b: { dtype: 'BF16', shape: [1], data_offsets: [4, 6] },
          s: { dtype: 'F16', shape: [1], data_offsets: [6, 8] },
        },
        data,
      ),
    ).tensors;
    expect(Array.from(t.h.data)).to.deep.equal([1, -5]);
    expect(t.b.item()).to.equal(1.5);
    expect(t.s.item()).to.equal(Math.fround(2 ** -24));
  });

  it('rejects files that break the rules, saying which rule', () => {
    const d = float32Bytes([1, 2, 3, 4]);
    const entry = (o: [number, number], shape = [2], dtype = 'F32') => ({ dtype, shape, data_offsets: o });
    expect(() => decodeSafetensors(fileBytes({ a: entry([0, 8]), b: entry([12, 20]) }, new Uint8Array(20)))).to.throw(ArgumentError, /holes/);
    expect(() => decodeSafetensors(fileBytes({ a: entry([0, 8]), b: entry([4, 12]) }, new Uint8Array(12)))).to.throw(ArgumentError, /overlaps/);
    expect(() => decodeSafetensors(fileBytes({ a: entry([0, 8]) }, d))).to.throw(ArgumentError, /no tensor owns/);
    expect(() => decodeSafetensors(fileBytes({ a: entry([0, 16], [4]) }, d).subarray(0, 30))).to.throw(ArgumentError, /truncated/);
    expect(() => decodeSafetensors(fileBytes({ a: entry([0, 12]) }, d))).to.throw(ArgumentError, /needs 8/);
    expect(() => decodeSafetensors(fileBytes({ a: entry([0, 16], [4], 'F33') }, d))).to.throw(ArgumentError, /dtype "F33"/);
    expect(() => decodeSafetensors(fileBytes({ a: entry([0, 16], [4], 'I32') }, d))).to.throw(DTypeError, /I32/);
    expect(() => decodeSafetensors(fileBytes({ a: entry([8, 0]) }, d))).to.throw(ArgumentError, /data_offsets/);
    expect(() => decodeSafetensors(fileBytes({ __metadata__: { n: 1 }, a: entry([0, 16], [4]) }, d))).to.throw(ArgumentError, /__metadata__/);
    expect(() => decodeSafetensors(fileBytes(' {}', new Uint8Array(0)))).to.throw(ArgumentError, /start with/);
    expect(() => decodeSafetensors(fileBytes('{"a": ', new Uint8Array(0)))).to.throw(ArgumentError, /JSON/);
    const huge = new Uint8Array(16);
    new DataView(huge.buffer).setBigUint64(0, 200_000_000n, true);
    expect(() => decodeSafetensors(huge)).to.throw(ArgumentError, /100000000/);
    expect(() => decodeSafetensors(new Uint8Array(5))).to.throw(ArgumentError, /truncated/);
    expect(() => decodeSafetensors(fileBytes({ a: entry([0, 16], [4]) }, float32Bytes([1, Number.NaN, 3, 4])))).to.throw(NonFiniteError, /'a'/);
    expect(() => encodeSafetensors({ __metadata__: tensor([1]) })).to.throw(ArgumentError, /__metadata__/);
    expect(() => encodeSafetensors({ a: tensor([1]) }, { n: 1 as unknown as string })).to.throw(ArgumentError, /strings/);
    expect(() => loadSafetensors('/nonexistent/weights.safetensors')).to.throw(ArgumentError, /no file/);
  });
});
