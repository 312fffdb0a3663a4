// gradcheck: the analytic backward against float64 central differences (a public feature).
//
// The outputs are reduced to a scalar L = sum_j <v_j, y_j> with fixed random v_j, so one backward
// gives the vector-Jacobian product J^T v. Then
//   'elements'   : every input element x_i:  dL/dx_i ~ (L(x + eps e_i) - L(x - eps e_i)) / 2 eps
//   'directions' : random unit directions u: <J^T v, u> ~ (L(x + eps u) - L(x - eps u)) / 2 eps
// A pair passes when |analytic - numeric| <= atol + rtol |numeric|.

import type { FloatArray } from './dtype.js';
import { ArgumentError, DTypeError, GradcheckError } from './errors.js';
import { Random } from './random.js';
import { backward, noGrad } from './tape.js';
import { Tensor } from './tensor.js';

export interface GradcheckOptions {
  /** Finite-difference step (default 1e-6). */
  eps?: number;
  /** Absolute tolerance (default 1e-5). */
  atol?: number;
  /** Relative tolerance (default 1e-3). */
  rtol?: number;
  /** 'auto' (default): per element up to `maxElements` inputs in all, random directions above. */
  mode?: 'auto' | 'elements' | 'directions';
  maxElements?: number;
  /** Number of random directions in 'directions' mode (default 16). */
  directions?: number;
  /** Seed of the output weights v and the directions u (default 0). */
  seed?: number;
  /** Throw a GradcheckError on failure (default true); otherwise return the failing report. */
  raise?: boolean;
}

export interface GradcheckWorst {
  /** Which input (position in `inputs`) and its name if it has one. */
  input: number;
  inputName?: string;
  /** Flat and multi-index of the element ('elements' mode), or the direction number. */
  element?: number;
  index?: number[];
  direction?: number;
  analytic: number;
  numeric: number;
  absError: number;
  /** |analytic - numeric| / (atol + rtol |numeric|): above 1 fails. */
  ratio: number;
}

export interface GradcheckReport {
  ok: boolean;
  mode: 'elements' | 'directions';
  /** How many comparisons were made. */
  checked: number;
  /** The comparison closest to (or furthest past) the tolerance. */
  worst: GradcheckWorst | null;
  /** Largest |numeric| seen: zero means the check exercised nothing. */
  maxAbsNumeric: number;
  message: string;
}

type Fn = (...inputs: Tensor[]) => Tensor | Tensor[];

function asList(y: Tensor | Tensor[]): Tensor[] {
  return Array.isArray(y) ? y : [y];
}

export function gradcheck(fn: Fn, inputs: Tensor[], options: GradcheckOptions = {}): GradcheckReport {
  const eps = options.eps ?? 1e-6;
  const atol = options.atol ?? 1e-5;
  const rtol = options.rtol ?? 1e-3;
  if (!Array.isArray(inputs) || inputs.length === 0 || inputs.some((t) => !(t instanceof Tensor))) {
    throw new ArgumentError('gradcheck: inputs must be a non-empty array of tensors.');
  }
  inputs.forEach((t, i) => {
    if (t.dtype !== 'float64') {
      throw new DTypeError(`gradcheck: inputs[${i}]${t.name ? ` (${t.name})` : ''} is ${t.dtype}; finite differences need float64: create it with { dtype: 'float64' } or call .to('float64').`);
    }
  });
  const diff = inputs.map((t, i) => ({ t, i })).filter(({ t }) => t.requiresGrad);
  if (diff.length === 0) throw new ArgumentError('gradcheck: no input has requiresGrad: true, so there is nothing to check.');

  const rng = new Random(options.seed ?? 0);
  const outs = asList(fn(...inputs));
  outs.forEach((y, j) => {
    if (y.dtype !== 'float64') throw new DTypeError(`gradcheck: output ${j} is ${y.dtype}; the function must compute in float64 for a meaningful check.`);
  });
  const live = outs.filter((y) => y.requiresGrad);
  if (live.length === 0) throw new ArgumentError('gradcheck: no output depends on an input with requiresGrad; the function does not reach the tape.');
  const weights = outs.map((y) => {
    const v = new Float64Array(y.size);
    for (let k = 0; k < v.length; k++) v[k] = rng.normal();
    return v;
  });
  const scalarOf = (ys: Tensor[]): number => {
    let s = 0;
    ys.forEach((y, j) => {
      const v = weights[j];
      for (let k = 0; k < y.size; k++) s += v[k] * y.data[k];
    });
    return s;
  };
  const evalL = (): number => noGrad(() => scalarOf(asList(fn(...inputs))));

  // Analytic J^T v, without disturbing gradients the caller already has.
  const previous = diff.map(({ t }) => t.grad);
  diff.forEach(({ t }) => (t.grad = null));
  backward(
    live,
    live.map((y) => weights[outs.indexOf(y)]),
  );
  const analytic: FloatArray[] = diff.map(({ t }) => (t.grad ? t.grad.data : new Float64Array(t.size)));
  diff.forEach(({ t }, k) => (t.grad = previous[k]));

  const total = diff.reduce((n, { t }) => n + t.size, 0);
  const mode = options.mode === 'elements' || options.mode === 'directions' ? options.mode : total <= (options.maxElements ?? 2000) ? 'elements' : 'directions';
  let worst: GradcheckWorst | null = null;
  let checked = 0;
  let maxAbsNumeric = 0;
  const consider = (w: Omit<GradcheckWorst, 'absError' | 'ratio'>): void => {
    const absError = Math.abs(w.analytic - w.numeric);
    const ratio = Number.isFinite(absError) ? absError / (atol + rtol * Math.abs(w.numeric)) : Infinity;
    checked++;
    maxAbsNumeric = Math.max(maxAbsNumeric, Math.abs(w.numeric));
    if (!worst || ratio > worst.ratio || Number.isNaN(ratio)) worst = { ...w, absError, ratio };
  };

  if (mode === 'elements') {
    diff.forEach(({ t, i }, k) => {
      for (let e = 0; e < t.size; e++) {
        const x = t.data[e];
        t.data[e] = x + eps;
        const lp = evalL();
        t.data[e] = x - eps;
        const lm = evalL();
        t.data[e] = x;
        consider({ input: i, inputName: t.name, element: e, index: t.unravel(e), analytic: analytic[k][e], numeric: (lp - lm) / (2 * eps) });
      }
    });
  } else {
    const count = options.directions ?? 16;
    for (let d = 0; d < count; d++) {
      const us = diff.map(({ t }) => {
        const u = new Float64Array(t.size);
        for (let e = 0; e < u.length; e++) u[e] = rng.normal();
        return u;
      });
      const norm = Math.sqrt(us.reduce((s, u) => s + u.reduce((a, b) => a + b * b, 0), 0)) || 1;
      us.forEach((u) => u.forEach((_, e) => (u[e] /= norm)));
      const originals = diff.map(({ t }) => Float64Array.from(t.data));
      const shift = (sign: number): void =>
        diff.forEach(({ t }, k) => {
          for (let e = 0; e < t.size; e++) t.data[e] = originals[k][e] + sign * eps * us[k][e];
        });
      shift(1);
      const lp = evalL();
      shift(-1);
      const lm = evalL();
      diff.forEach(({ t }, k) => t.data.set(originals[k]));
      let a = 0;
      diff.forEach((_, k) => {
        for (let e = 0; e < us[k].length; e++) a += analytic[k][e] * us[k][e];
      });
      consider({ input: diff[0].i, direction: d, analytic: a, numeric: (lp - lm) / (2 * eps) });
    }
  }

  const w = worst as GradcheckWorst | null;
  const ok = w !== null && w.ratio <= 1;
  const where = !w ? 'nothing' : w.direction !== undefined ? `direction ${w.direction}` : `inputs[${w.input}]${w.inputName ? ` (${w.inputName})` : ''} element [${w.index!.join(', ')}]`;
  const message = w
    ? `gradcheck ${ok ? 'passed' : 'FAILED'} (${mode}, ${checked} checks): worst at ${where}: analytic ${w.analytic}, numeric ${w.numeric}, |diff| ${w.absError.toExponential(3)} (tolerance ${(atol + rtol * Math.abs(w.numeric)).toExponential(3)})`
    : 'gradcheck made no comparison';
  const report: GradcheckReport = { ok, mode, checked, worst: w, maxAbsNumeric, message };
  if (!ok && (options.raise ?? true)) throw new GradcheckError(message, report);
  return report;
}
