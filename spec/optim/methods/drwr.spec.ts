import { expect } from 'chai';
import { resolveFitConfig } from '../../../cli/fit/fitConfig.js';
import { runFit, startFit } from '../../../cli/fit/runFit.js';
import { ArgumentError } from '../../../lib/errors.js';

describe('fit --method drwr', () => {
  const config = (extra: Record<string, unknown> = {}) => resolveFitConfig({ target: 'sphere', method: 'drwr', points: 300, size: 32, views: 6, iterations: 60, ...extra });

  it('pulls a sphere of points from outside onto the target, scoring projections only', async () => {
    const s = await runFit(config(), { out: null });
    expect(s.method).to.equal('drwr');
    expect(s.chamferInitial!, 'the start surrounds the target').to.be.greaterThan(0.08);
    expect(s.chamfer!, `chamfer ${s.chamferInitial} -> ${s.chamfer}`).to.be.lessThan(0.03);
    expect(s.lossFinal!).to.be.lessThan(0.1 * s.lossInitial!);
    expect(s.unaryFinal as number).to.be.lessThan(0.01);
  });

  it('gives the same cloud, to the bit, on one thread and on two', () => {
    const clouds = [1, 2].map((threads) => {
      const { session } = startFit(config({ threads, iterations: 8 }));
      for (let step = 0; step < 8; step++) session.step(step);
      return Float32Array.from(session.cloud().positions);
    });
    expect(Buffer.from(clouds[0].buffer).equals(Buffer.from(clouds[1].buffer))).to.equal(true);
  });

  it('takes its own settings and refuses bad ones', () => {
    expect(config()).to.include({ method: 'drwr', initRadius: 1.3, weightGradients: 'bias' });
    expect(resolveFitConfig({ method: 'dss' }).initRadius).to.equal(0.5);
    expect(() => config({ weightGradients: 'some' })).to.throw(ArgumentError, /weightGradients must be one of none, bias, all/);
    expect(() => config({ init: 'cloud.obj' }) && startFit(config({ init: 'cloud.obj' }))).to.throw(ArgumentError, /--init must be 'sphere' or a .ply/);
  });
});
