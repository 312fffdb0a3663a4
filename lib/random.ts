// A small seeded generator (mulberry32) so sampling, gradcheck directions and tests are
// reproducible in Node and in the browser alike.

export class Random {
  private state: number;
  private spare: number | null = null;

  constructor(seed = 0) {
    this.state = (seed >>> 0) ^ 0x9e3779b9;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  uniform(lo = 0, hi = 1): number {
    return lo + (hi - lo) * this.next();
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Shuffles `items` in place, every order equally likely (Fisher-Yates), and returns it. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = items[i];
      items[i] = items[j];
      items[j] = t;
    }
    return items;
  }

  /** A point uniform in the ball of this radius about 0 (by rejection), written to out[offset..offset + 2]. */
  inBall(radius: number, out: { [i: number]: number }, offset = 0): void {
    let x: number, y: number, z: number;
    do {
      x = this.uniform(-1, 1);
      y = this.uniform(-1, 1);
      z = this.uniform(-1, 1);
    } while (x * x + y * y + z * z > 1);
    out[offset] = radius * x;
    out[offset + 1] = radius * y;
    out[offset + 2] = radius * z;
  }

  /** Standard normal (Box-Muller, caching the second value). */
  normal(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }
}
