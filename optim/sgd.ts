// Stochastic gradient descent with momentum, dampening, Nesterov momentum and L2 weight decay,
// with torch.optim.SGD's update (Sutskever et al. 2013 form of Nesterov):
//   d = g + wd * p
//   b = d                                  on the first step
//   b = momentum * b + (1 - dampening) * d  afterwards
//   p -= lr * (nesterov ? d + momentum * b : b)        (p -= lr * d when momentum is 0)
// The reference DSS runs use SGD with Nesterov momentum (docs/dss.md §5).

import { type FloatArray, allocate, dtypeOf } from '../lib/dtype.js';
import { ArgumentError } from '../lib/errors.js';
import { checkBoolean, checkInRange, checkNonNegative } from './checks.js';
import { type Params, type ParamState, Optimizer, checkLearningRate } from './optimizer.js';

export interface SGDHyperparameters {
  lr: number;
  momentum: number;
  dampening: number;
  weightDecay: number;
  nesterov: boolean;
}

/** lr has no default: give it here or on every group. The rest default to plain SGD. */
export type SGDOptions = Partial<SGDHyperparameters>;

export class SGD extends Optimizer<SGDHyperparameters> {
  constructor(params: Params<SGDHyperparameters>, options: SGDOptions = {}) {
    const defaults: SGDHyperparameters = {
      lr: options.lr as number, // may stay undefined when every group sets its own
      momentum: options.momentum ?? 0,
      dampening: options.dampening ?? 0,
      weightDecay: options.weightDecay ?? 0,
      nesterov: options.nesterov ?? false,
    };
    super(params, defaults, options);
  }

  protected checkHyperparameters(h: SGDHyperparameters, where: string): void {
    checkLearningRate(h.lr, 'SGD', where);
    checkNonNegative(h.momentum, `SGD: ${where}.momentum`);
    checkInRange(h.dampening, `SGD: ${where}.dampening`, 0, 1);
    checkNonNegative(h.weightDecay, `SGD: ${where}.weightDecay`);
    checkBoolean(h.nesterov, `SGD: ${where}.nesterov`);
    if (h.nesterov && (h.momentum === 0 || h.dampening !== 0)) {
      throw new ArgumentError(`SGD: ${where} sets nesterov, which needs momentum > 0 and dampening 0 (got momentum ${h.momentum}, dampening ${h.dampening}).`);
    }
  }

  protected update(p: FloatArray, g: FloatArray, h: SGDHyperparameters, state: ParamState): void {
    const { lr, momentum, dampening, weightDecay, nesterov } = h;
    const n = p.length;
    if (momentum === 0) {
      for (let i = 0; i < n; i++) p[i] -= lr * (g[i] + weightDecay * p[i]);
      return;
    }
    let buf = state.buffers.momentum;
    const first = buf === undefined;
    if (first) buf = state.buffers.momentum = allocate(dtypeOf(p), n);
    const keep = 1 - dampening;
    for (let i = 0; i < n; i++) {
      const d = g[i] + weightDecay * p[i];
      const b = first ? d : momentum * buf[i] + keep * d;
      buf[i] = b;
      p[i] -= lr * (nesterov ? d + momentum * b : b);
    }
  }
}
