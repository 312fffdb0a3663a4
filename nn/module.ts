// Module: the container of named parameters and child modules (torch.nn.Module's shape, small).
// Parameters are ordinary leaf tensors with requiresGrad, so the optimizers of optim/ take
// `module.parameters()` as they are. Names are dotted paths ('layers.0.weight'), the keys of the
// state dict and of a safetensors file, matching a PyTorch module built the same way.

import { ArgumentError, ShapeError, assertFinite } from '../lib/errors.js';
import type { FloatArray } from '../lib/dtype.js';
import { Tensor } from '../lib/tensor.js';

const NAME = /^[A-Za-z0-9_]+$/;

export abstract class Module {
  private readonly ownParameters = new Map<string, Tensor>();
  private readonly ownChildren = new Map<string, Module>();

  /** The module's computation on a batch. */
  abstract forward(x: Tensor): Tensor;

  /** Adds a parameter under `name` (a leaf; it is made to require grad) and returns it. */
  protected registerParameter(name: string, tensor: Tensor): Tensor {
    this.checkName(name);
    if (!(tensor instanceof Tensor) || !tensor.isLeaf) throw new ArgumentError(`${this.constructor.name}: parameter '${name}' must be a leaf tensor.`);
    tensor.requiresGrad = true;
    tensor.name ??= name;
    this.ownParameters.set(name, tensor);
    return tensor;
  }

  /** Adds a child module under `name` and returns it. */
  protected registerModule<M extends Module>(name: string, module: M): M {
    this.checkName(name);
    if (!(module instanceof Module)) throw new ArgumentError(`${this.constructor.name}: child '${name}' must be a Module.`);
    this.ownChildren.set(name, module);
    return module;
  }

  private checkName(name: string): void {
    if (typeof name !== 'string' || !NAME.test(name)) throw new ArgumentError(`${this.constructor.name}: '${name}' is not a usable name; use letters, digits and _ (dots separate levels).`);
    if (this.ownParameters.has(name) || this.ownChildren.has(name)) throw new ArgumentError(`${this.constructor.name}: '${name}' is registered twice.`);
  }

  /** Direct children, in registration order. */
  children(): [string, Module][] {
    return [...this.ownChildren];
  }

  /** Every parameter with its dotted name: own ones first, then each child's, depth first. */
  namedParameters(prefix = ''): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    for (const [name, t] of this.ownParameters) out.push([prefix + name, t]);
    for (const [name, child] of this.ownChildren) out.push(...child.namedParameters(`${prefix}${name}.`));
    return out;
  }

  /** The parameters to hand an optimizer (each once, even if shared between children). */
  parameters(): Tensor[] {
    return [...new Set(this.namedParameters().map(([, t]) => t))];
  }

  /** Total number of parameter values. */
  parameterCount(): number {
    return this.parameters().reduce((n, t) => n + t.size, 0);
  }

  /** Clears every parameter's gradient (sets it to null). */
  zeroGrad(): void {
    for (const t of this.parameters()) t.grad = null;
  }

  /** Name -> parameter (the tensors themselves, not copies). */
  stateDict(): Record<string, Tensor> {
    return Object.fromEntries(this.namedParameters());
  }

  /**
   * Copies values into the parameters in place (an optimizer holding them keeps working). Each
   * value must have the parameter's size (and shape, for a tensor); float32 and float64 convert.
   * strict (default true): every parameter must be given and every name must be known.
   */
  loadStateDict(values: Record<string, Tensor | FloatArray>, options: { strict?: boolean } = {}): void {
    const strict = options.strict ?? true;
    const params = new Map(this.namedParameters());
    if (strict) {
      const unknown = Object.keys(values).filter((k) => !params.has(k));
      const missing = [...params.keys()].filter((k) => !(k in values));
      if (unknown.length || missing.length) {
        throw new ArgumentError(
          `${this.constructor.name}.loadStateDict: ${missing.length ? `missing ${missing.join(', ')}` : ''}${missing.length && unknown.length ? '; ' : ''}${unknown.length ? `unknown ${unknown.join(', ')}` : ''}; the names are ${[...params.keys()].join(', ')} (pass { strict: false } to load a subset).`,
        );
      }
    }
    for (const [name, value] of Object.entries(values)) {
      const p = params.get(name);
      if (!p) continue;
      const data = value instanceof Tensor ? value.data : value;
      if (value instanceof Tensor && value.shape.join() !== p.shape.join()) {
        throw new ShapeError(`${this.constructor.name}.loadStateDict: '${name}' has shape [${value.shape}] but the parameter is [${p.shape}].`);
      }
      if (!ArrayBuffer.isView(data) || data.length !== p.size)
        throw new ShapeError(`${this.constructor.name}.loadStateDict: '${name}' needs ${p.size} values, got ${ArrayBuffer.isView(data) ? data.length : typeof data}.`);
      assertFinite(data, `${this.constructor.name}.loadStateDict: '${name}'`, 'the saved weights hold NaN or infinite values');
      p.data.set(data);
    }
  }
}
