import { expect } from 'chai';
import { ArgumentError, NonFiniteError } from '../../lib/errors.js';
import { ReduceLROnPlateau, StepLR, type HasParamGroups } from '../../optim/schedules.js';
import { SGD } from '../../optim/sgd.js';
import { paramWithGrad } from './params.js';

/** An SGD over two groups with lrs 1 and 0.5. */
function twoGroups(): SGD {
  return new SGD([{ params: [paramWithGrad([0])] }, { params: [paramWithGrad([0])], lr: 0.5 }], { lr: 1 });
}

describe('StepLR', () => {
  it('multiplies every group lr by gamma once every stepSize epochs', () => {
    const opt = twoGroups();
    const schedule = new StepLR(opt, { stepSize: 3, gamma: 0.5 });
    const history: number[][] = [];
    const decayed: boolean[] = [];
    for (let e = 0; e < 7; e++) {
      decayed.push(schedule.step());
      history.push(schedule.lastLr());
    }
    expect(decayed).to.deep.equal([false, false, true, false, false, true, false]);
    expect(history).to.deep.equal([
      [1, 0.5],
      [1, 0.5],
      [0.5, 0.25],
      [0.5, 0.25],
      [0.5, 0.25],
      [0.25, 0.125],
      [0.25, 0.125],
    ]);
  });

  it('defaults gamma to 0.1 and resumes its count from a state dict', () => {
    const opt = twoGroups();
    const first = new StepLR(opt, { stepSize: 2 });
    first.step();
    const resumed = new StepLR(opt, { stepSize: 2 });
    resumed.loadStateDict(JSON.parse(JSON.stringify(first.stateDict())));
    expect(resumed.step()).to.equal(true);
    expect(opt.paramGroups[0].lr).to.be.closeTo(0.1, 1e-15);
    expect(() => resumed.loadStateDict({ epoch: -1 })).to.throw(ArgumentError, /epoch/);
  });

  it('rejects a bad optimizer, stepSize or gamma', () => {
    const opt = twoGroups();
    expect(() => new StepLR({} as HasParamGroups, { stepSize: 1 })).to.throw(ArgumentError, /optimizer must be an optimizer/);
    expect(() => new StepLR(opt, { stepSize: 0 })).to.throw(ArgumentError, /stepSize must be an integer >= 1/);
    expect(() => new StepLR(opt, { stepSize: 1.5 })).to.throw(ArgumentError, /stepSize/);
    expect(() => new StepLR(opt, { stepSize: 1, gamma: -0.1 })).to.throw(ArgumentError, /gamma/);
  });
});

describe('ReduceLROnPlateau', () => {
  it('reduces every group lr once the metric has not improved for more than `patience` epochs', () => {
    const opt = twoGroups();
    const schedule = new ReduceLROnPlateau(opt, { patience: 2, factor: 0.5 });
    const reduced = [10, 9, 9, 9, 9].map((loss) => schedule.step(loss));
    // 10 and 9 improve; then three epochs stuck at 9: the third exceeds patience 2.
    expect(reduced).to.deep.equal([false, false, false, false, true]);
    expect(schedule.lastReduced).to.equal(true);
    expect(schedule.lastLr()).to.deep.equal([0.5, 0.25]);
    expect(schedule.badEpochs).to.equal(0);
  });

  it('counts only improvements beyond the threshold (relative or absolute)', () => {
    const rel = new ReduceLROnPlateau(twoGroups(), { patience: 0, threshold: 0.1 });
    rel.step(100);
    expect(rel.step(95)).to.equal(true); // 95 is not below 100 * (1 - 0.1)
    const abs = new ReduceLROnPlateau(twoGroups(), { patience: 0, threshold: 2, thresholdMode: 'abs' });
    abs.step(100);
    expect(abs.step(97)).to.equal(false); // 97 < 100 - 2
    expect(abs.step(96)).to.equal(true);
  });

  it("in mode 'max' treats higher metrics as better", () => {
    const opt = twoGroups();
    const schedule = new ReduceLROnPlateau(opt, { mode: 'max', patience: 0, thresholdMode: 'abs', threshold: 0 });
    expect([0.5, 0.6, 0.7].map((acc) => schedule.step(acc))).to.deep.equal([false, false, false]);
    expect(schedule.step(0.65)).to.equal(true);
    const relMax = new ReduceLROnPlateau(twoGroups(), { mode: 'max', patience: 0, threshold: 0.1 });
    relMax.step(1);
    expect(relMax.step(1.05)).to.equal(true); // not above 1 * (1 + 0.1)
  });

  it('ignores bad epochs during cooldown', () => {
    const opt = twoGroups();
    const schedule = new ReduceLROnPlateau(opt, { patience: 0, cooldown: 2, factor: 0.5 });
    const reduced = [5, 6, 6, 6, 6].map((loss) => schedule.step(loss));
    // epoch 2 reduces; epochs 3 and 4 are cooldown; epoch 5 is bad again and reduces.
    expect(reduced).to.deep.equal([false, true, false, false, true]);
    expect(opt.paramGroups[0].lr).to.equal(0.25);
  });

  it('never goes below minLr (one per group), and reports no reduction once there', () => {
    const opt = twoGroups();
    const schedule = new ReduceLROnPlateau(opt, { patience: 0, factor: 0.1, minLr: [0.2, 0.01] });
    schedule.step(1);
    expect(schedule.step(1)).to.equal(true);
    expect(schedule.lastLr()).to.deep.equal([0.2, 0.05]);
    expect(schedule.step(1)).to.equal(true);
    expect(schedule.lastLr()).to.deep.equal([0.2, 0.01]);
    expect(schedule.step(1)).to.equal(false);
    expect(schedule.lastLr()).to.deep.equal([0.2, 0.01]);
    const floor = new ReduceLROnPlateau(twoGroups(), { patience: 0, minLr: 0.3 });
    floor.step(1);
    floor.step(1);
    expect(floor.lastLr()).to.deep.equal([0.3, 0.3]);
  });

  it('resumes best, bad epochs and cooldown from a JSON state dict', () => {
    const opt = twoGroups();
    const first = new ReduceLROnPlateau(opt, { patience: 1 });
    first.step(3);
    first.step(4);
    const resumed = new ReduceLROnPlateau(opt, { patience: 1 });
    resumed.loadStateDict(JSON.parse(JSON.stringify(first.stateDict())));
    expect(resumed.best).to.equal(3);
    expect(resumed.step(4)).to.equal(true);
    const fresh = new ReduceLROnPlateau(opt, { mode: 'max' });
    fresh.loadStateDict(JSON.parse(JSON.stringify(fresh.stateDict()))); // best -Infinity -> null -> back
    expect(fresh.best).to.equal(-Infinity);
    expect(() => fresh.loadStateDict({ best: NaN, badEpochs: 0, cooldownLeft: 0, epoch: 0 })).to.throw(ArgumentError, /best must be a number/);
    expect(() => fresh.loadStateDict({ best: 1, badEpochs: -1, cooldownLeft: 0, epoch: 0 })).to.throw(ArgumentError, /badEpochs/);
  });

  it('throws NonFiniteError on a NaN metric instead of counting it as a bad epoch', () => {
    const schedule = new ReduceLROnPlateau(twoGroups());
    expect(() => schedule.step(NaN)).to.throw(NonFiniteError, /metric must be a finite number/);
    expect(schedule.epoch).to.equal(0);
  });

  it('rejects bad options, naming them', () => {
    const opt = twoGroups();
    expect(() => new ReduceLROnPlateau(null as unknown as HasParamGroups)).to.throw(ArgumentError, /optimizer/);
    expect(() => new ReduceLROnPlateau(opt, { mode: 'lowest' as 'min' })).to.throw(ArgumentError, /mode must be one of 'min', 'max'/);
    expect(() => new ReduceLROnPlateau(opt, { factor: 1 })).to.throw(ArgumentError, /factor must be in \[0, 1\)/);
    expect(() => new ReduceLROnPlateau(opt, { factor: 0 })).to.throw(ArgumentError, /factor must be > 0/);
    expect(() => new ReduceLROnPlateau(opt, { patience: -1 })).to.throw(ArgumentError, /patience/);
    expect(() => new ReduceLROnPlateau(opt, { threshold: -1 })).to.throw(ArgumentError, /threshold/);
    expect(() => new ReduceLROnPlateau(opt, { thresholdMode: 'percent' as 'rel' })).to.throw(ArgumentError, /thresholdMode/);
    expect(() => new ReduceLROnPlateau(opt, { cooldown: 0.5 })).to.throw(ArgumentError, /cooldown/);
    expect(() => new ReduceLROnPlateau(opt, { minLr: [0] })).to.throw(ArgumentError, /minLr has 1 values but the optimizer has 2/);
    expect(() => new ReduceLROnPlateau(opt, { minLr: -1 })).to.throw(ArgumentError, /minLr/);
  });
});
