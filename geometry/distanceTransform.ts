// The exact Euclidean distance transform of a mask (Felzenszwalb & Huttenlocher: two passes of
// the 1-D lower envelope of parabolas), for silhouette losses: how far each pixel is from the
// nearest pixel inside the object.

/** 1-D squared distance transform (Felzenszwalb & Huttenlocher) of f into d. */
function dt1d(f: Float64Array, n: number, d: Float64Array, v: Int32Array, z: Float64Array): void {
  let k = 0;
  v[0] = 0;
  z[0] = -Infinity;
  z[1] = Infinity;
  for (let q = 1; q < n; q++) {
    if (f[q] === Infinity) continue;
    if (f[v[k]] === Infinity) {
      v[k] = q;
      continue;
    }
    let s = (f[q] + q * q - (f[v[k]] + v[k] * v[k])) / (2 * q - 2 * v[k]);
    while (s <= z[k]) {
      k--;
      s = (f[q] + q * q - (f[v[k]] + v[k] * v[k])) / (2 * q - 2 * v[k]);
    }
    k++;
    v[k] = q;
    z[k] = s;
    z[k + 1] = Infinity;
  }
  k = 0;
  for (let q = 0; q < n; q++) {
    while (z[k + 1] < q) k++;
    const dq = q - v[k];
    d[q] = f[v[k]] === Infinity ? Infinity : dq * dq + f[v[k]];
  }
}

/** Euclidean distance (pixels) from each pixel to the nearest pixel with mask > 0.5; 0 inside. */
export function maskDistance(mask: ArrayLike<number>, width: number, height: number): Float32Array {
  const n = Math.max(width, height);
  const f = new Float64Array(n),
    d = new Float64Array(n),
    z = new Float64Array(n + 1);
  const v = new Int32Array(n);
  const g = new Float64Array(width * height);
  for (let i = 0; i < width * height; i++) g[i] = mask[i] > 0.5 ? 0 : Infinity;
  for (let x = 0; x < width; x++) {
    for (let y = 0; y < height; y++) f[y] = g[y * width + x];
    dt1d(f, height, d, v, z);
    for (let y = 0; y < height; y++) g[y * width + x] = d[y];
  }
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) f[x] = g[y * width + x];
    dt1d(f, width, d, v, z);
    // an empty mask has no inside: no pull at all
    for (let x = 0; x < width; x++) out[y * width + x] = Number.isFinite(d[x]) ? Math.sqrt(d[x]) : 0;
  }
  return out;
}
