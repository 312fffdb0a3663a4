import { expect } from 'chai';
import * as optim from '../../optim/index.js';
import { Adam } from '../../optim/adam.js';
import { clipGradNorm, clipGradValue } from '../../optim/clip.js';
import { Optimizer } from '../../optim/optimizer.js';
import { ReduceLROnPlateau, StepLR } from '../../optim/schedules.js';
import { SGD } from '../../optim/sgd.js';

describe('optim barrel', () => {
  it('exports the optimizers, clipping and schedules themselves', () => {
    expect(optim).to.include({ Optimizer, SGD, Adam, clipGradNorm, clipGradValue, StepLR, ReduceLROnPlateau });
  });
});
