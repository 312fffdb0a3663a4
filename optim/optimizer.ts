// The optimizer base (torch.optim.Optimizer's shape): parameter groups whose hyperparameters
// override the defaults, zeroGrad, a step that skips parameters without a gradient, and a
// JSON-friendly state dict so long runs can resume from checkpoints.
// Subclasses only validate their hyperparameters and update one parameter's flat arrays.

import { type FloatArray, allocate } from '../lib/dtype.js';
import { ArgumentError, ShapeError, assertFinite } from '../lib/errors.js';
import { Tensor } from '../lib/tensor.js';
import { checkInteger, checkNonNegative } from './checks.js';

/** Every optimizer has a learning rate; schedules change it through `paramGroups[i].lr`. */
export interface BaseHyperparameters {
  lr: number;
}

/** A group of parameters sharing hyperparameters (all of them resolved, so each is mutable). */
export type ParamGroup<H> = H & { params: Tensor[] };

/** What a caller passes for a group: its parameters and any hyperparameters to override. */
export type ParamGroupSpec<H> = Partial<H> & { params: readonly Tensor[] };

/** A plain list of parameters (one group), or a list of groups. */
export type Params<H> = readonly Tensor[] | readonly ParamGroupSpec<H>[];

/** Per-parameter state: how many steps it has taken and its buffers (momentum, moments...). */
export interface ParamState {
  step: number;
  buffers: Record<string, FloatArray>;
}

/** Plain data (numbers and arrays only) that survives JSON.stringify / JSON.parse. */
export interface OptimizerStateDict {
  /** Keyed by the parameter's position across all groups, in order. */
  state: Record<string, { step: number; buffers: Record<string, number[]> }>;
  /** Hyperparameters per group, with `params` as positions instead of tensors. */
  paramGroups: (Record<string, unknown> & { params: number[] })[];
}

export abstract class Optimizer<H extends BaseHyperparameters> {
  /** Hyperparameters a group gets when it does not set its own. */
  readonly defaults: Readonly<H>;
  /** The groups; mutate `lr` (or any hyperparameter) between steps, as schedules do. */
  readonly paramGroups: ParamGroup<H>[] = [];
  protected readonly state = new Map<Tensor, ParamState>();

  /**
   * `options` is the caller's raw options object, checked for unknown names (a misspelt
   * `weight_decay` must not be ignored silently); `defaults` is it with every default filled in.
   */
  constructor(params: Params<H>, defaults: H, options: object) {
    this.defaults = Object.freeze(structuredClone(defaults));
    this.checkNames(options, 'options');
    if (params instanceof Tensor || !Array.isArray(params)) {
      throw new ArgumentError(`${this.kind}: params must be an array of tensors or of parameter groups; wrap a single tensor as [param].`);
    }
    if (params.length === 0) throw new ArgumentError(`${this.kind}: params is empty; pass the tensors to optimize.`);
    const allTensors = params.every((p) => p instanceof Tensor);
    if (allTensors) this.addParamGroup({ params } as unknown as ParamGroupSpec<H>);
    else if (params.some((p) => p instanceof Tensor)) {
      throw new ArgumentError(`${this.kind}: params mixes tensors and parameter groups; put every tensor inside a { params: [...] } group.`);
    } else for (const group of params as readonly ParamGroupSpec<H>[]) this.addParamGroup(group);
  }

  /** Name used in error messages ('SGD', 'Adam'). */
  protected get kind(): string {
    return this.constructor.name;
  }

  /** Throws ArgumentError naming `where` when a hyperparameter of `group` is not usable. */
  protected abstract checkHyperparameters(group: H, where: string): void;

  /** Updates one parameter in place from its gradient. Hot path: loop over the flat arrays. */
  protected abstract update(param: FloatArray, grad: FloatArray, group: H, state: ParamState): void;

  /** Adds a group (e.g. a new set of points); unset hyperparameters come from the defaults. */
  addParamGroup(spec: ParamGroupSpec<H>): void {
    const g = this.paramGroups.length;
    const where = `paramGroups[${g}]`;
    if (typeof spec !== 'object' || spec === null || !Array.isArray(spec.params)) {
      throw new ArgumentError(`${this.kind}: ${where} must be an object { params: Tensor[], ...hyperparameters }.`);
    }
    this.checkNames(spec, where);
    const seen = new Set<Tensor>(this.paramGroups.flatMap((group) => group.params));
    spec.params.forEach((p, i) => {
      const which = `${where}.params[${i}]`;
      if (!(p instanceof Tensor)) throw new ArgumentError(`${this.kind}: ${which} is not a Tensor.`);
      if (!p.requiresGrad) {
        throw new ArgumentError(`${this.kind}: ${which}${label(p)} does not require grad; create it with requiresGrad: true or set param.requiresGrad = true.`);
      }
      if (!p.isLeaf) {
        throw new ArgumentError(`${this.kind}: ${which}${label(p)} is computed by an op, not a leaf; optimize the leaf it comes from, or use .detach() and set requiresGrad.`);
      }
      if (seen.has(p)) throw new ArgumentError(`${this.kind}: ${which}${label(p)} appears more than once across parameter groups; list each tensor once.`);
      seen.add(p);
    });
    // Cloned so groups never share a mutable value (Adam's betas) with each other or the defaults.
    const { params: _params, ...hyper } = spec;
    const group = { ...structuredClone(this.defaults), ...structuredClone(hyper), params: spec.params.slice() } as unknown as ParamGroup<H>;
    this.checkHyperparameters(group, where);
    this.paramGroups.push(group);
  }

  /** Clears gradients: drops them (the default, like torch) or fills them with zeros. */
  zeroGrad(options: { setToNone?: boolean } = {}): void {
    const setToNone = options.setToNone ?? true;
    for (const group of this.paramGroups) {
      for (const p of group.params) {
        if (setToNone) p.grad = null;
        else p.zeroGrad();
      }
    }
  }

  /**
   * One update of every parameter that has a gradient (those without are skipped, like torch).
   * Everything is checked before anything moves, so a step that throws changes nothing.
   */
  step(): void {
    this.paramGroups.forEach((group, g) => {
      this.checkHyperparameters(group, `paramGroups[${g}]`);
      group.params.forEach((p, i) => {
        if (p.grad) {
          assertFinite(
            p.grad.data,
            `${this.kind}.step(): the gradient of paramGroups[${g}].params[${i}]${label(p)}`,
            'the loss or its backward overflowed; lower the learning rate, clip gradients (clipGradNorm) or check the loss',
          );
        }
      });
    });
    for (const group of this.paramGroups) {
      for (const p of group.params) {
        if (!p.grad) continue;
        const state = this.stateOf(p);
        state.step++;
        this.update(p.data, p.grad.data, group, state);
      }
    }
  }

  /**
   * Zeroes parameter `p`'s state (momentum, moments) for the given rows of `width` values each,
   * so values the caller replaced (a point moved elsewhere) start without the old ones' history.
   */
  resetRows(p: Tensor, rows: ArrayLike<number>, width: number): void {
    const state = this.state.get(p);
    if (!state) return;
    for (const buf of Object.values(state.buffers)) {
      for (let r = 0; r < rows.length; r++) buf.fill(0, rows[r] * width, (rows[r] + 1) * width);
    }
  }

  /** A deep copy of the hyperparameters and per-parameter state, as plain JSON-friendly data. */
  stateDict(): OptimizerStateDict {
    const state: OptimizerStateDict['state'] = {};
    const paramGroups: OptimizerStateDict['paramGroups'] = [];
    let index = 0;
    for (const group of this.paramGroups) {
      const { params, ...hyper } = group;
      const positions: number[] = [];
      for (const p of params) {
        const s = this.state.get(p);
        if (s) {
          const buffers: Record<string, number[]> = {};
          for (const [name, buf] of Object.entries(s.buffers)) buffers[name] = Array.from(buf);
          state[index] = { step: s.step, buffers };
        }
        positions.push(index++);
      }
      paramGroups.push({ ...structuredClone(hyper), params: positions });
    }
    return { state, paramGroups };
  }

  /** Restores what stateDict() returned, onto an optimizer built over the same parameters. */
  loadStateDict(dict: OptimizerStateDict): void {
    if (typeof dict !== 'object' || dict === null || !Array.isArray(dict.paramGroups) || typeof dict.state !== 'object' || dict.state === null) {
      throw new ArgumentError(`${this.kind}.loadStateDict: dict must be { state, paramGroups } as returned by stateDict().`);
    }
    if (dict.paramGroups.length !== this.paramGroups.length) {
      throw new ArgumentError(`${this.kind}.loadStateDict: dict has ${dict.paramGroups.length} parameter groups but this optimizer has ${this.paramGroups.length}; build it over the same groups.`);
    }
    const params = this.paramGroups.flatMap((group) => group.params);
    this.paramGroups.forEach((group, g) => {
      const saved = dict.paramGroups[g];
      if (!Array.isArray(saved.params) || saved.params.length !== group.params.length) {
        throw new ArgumentError(`${this.kind}.loadStateDict: paramGroups[${g}] has ${saved.params?.length} parameters in dict but ${group.params.length} here; build it over the same tensors.`);
      }
    });
    // Validate everything into fresh objects first, so a bad dict leaves this optimizer as it was.
    const groups = dict.paramGroups.map((saved, g) => {
      const { params: _positions, ...hyper } = saved;
      this.checkNames(hyper, `loadStateDict: paramGroups[${g}]`);
      const group = { ...this.paramGroups[g], ...structuredClone(hyper) } as ParamGroup<H>;
      this.checkHyperparameters(group, `loadStateDict: paramGroups[${g}]`);
      return group;
    });
    const state = new Map<Tensor, ParamState>();
    for (const [key, saved] of Object.entries(dict.state)) {
      const p = params[Number(key)];
      if (!p) throw new ArgumentError(`${this.kind}.loadStateDict: state has an entry for parameter ${key} but there are only ${params.length}.`);
      checkInteger(saved.step, `${this.kind}.loadStateDict: state[${key}].step`, 0);
      const buffers: Record<string, FloatArray> = {};
      for (const [name, values] of Object.entries(saved.buffers)) {
        if (values.length !== p.size) {
          throw new ShapeError(`${this.kind}.loadStateDict: buffer '${name}' of parameter ${key} has ${values.length} values but the parameter has ${p.size}.`);
        }
        const buf = allocate(p.dtype, p.size);
        buf.set(values);
        assertFinite(buf, `${this.kind}.loadStateDict: buffer '${name}' of parameter ${key}`, 'the checkpoint is corrupt');
        buffers[name] = buf;
      }
      state.set(p, { step: saved.step, buffers });
    }
    groups.forEach((group, g) => Object.assign(this.paramGroups[g], group));
    this.state.clear();
    for (const [p, s] of state) this.state.set(p, s);
  }

  private stateOf(p: Tensor): ParamState {
    let s = this.state.get(p);
    if (!s) {
      s = { step: 0, buffers: {} };
      this.state.set(p, s);
    }
    return s;
  }

  private checkNames(object: object, where: string): void {
    for (const key of Object.keys(object)) {
      if (key !== 'params' && !(key in this.defaults)) {
        throw new ArgumentError(`${this.kind}: ${where} has an unknown hyperparameter '${key}'; known ones are ${Object.keys(this.defaults).join(', ')}.`);
      }
    }
  }
}

/** The learning rate every optimizer validates the same way. */
export function checkLearningRate(lr: unknown, kind: string, where: string): number {
  if (lr === undefined) throw new ArgumentError(`${kind} needs a learning rate: pass options.lr, or lr on every parameter group (${where} has none).`);
  return checkNonNegative(lr, `${kind}: ${where}.lr`);
}

/** " ('positions')" for a named tensor, "" otherwise. */
function label(p: Tensor): string {
  return p.name ? ` ('${p.name}')` : '';
}
