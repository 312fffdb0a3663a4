// The fit loop's device option without a GPU: the CPU path stays synchronous, device 'webgpu' is
// refused by the synchronous entry points, and the asynchronous driver gives the CPU loop's steps.
// The loop on a GPU (its loss falling like the CPU's over 20 steps) is in npm run check:webgpu.

import { expect } from 'chai';
import { tensor } from '../../lib/create.js';
import { ArgumentError } from '../../lib/errors.js';
import { defaultLights } from '../../geometry/lights.js';
import { rasterizeMesh } from '../../geometry/rasterize.js';
import { samplePoints } from '../../geometry/sampling.js';
import { cube } from '../../geometry/shapes/cube.js';
import { icosphere } from '../../geometry/shapes/icosphere.js';
import { fibonacciViews } from '../../geometry/views.js';
import { type FitView, fitPointCloud, fitSteps, fitStepsAsync } from '../../optim/fitPointCloud.js';
import { startFit } from '../../cli/fit/runFit.js';
import { parseOptionValue, resolveFitConfig } from '../../cli/fit/fitConfig.js';

describe("the fit loop's device option", () => {
  const views: FitView[] = fibonacciViews(3, { radius: 0.9, width: 32, height: 32 }).map((camera, i) => {
    const lights = defaultLights(camera, { seed: i });
    return { camera, lights, target: tensor(rasterizeMesh(cube(), camera, { lights }).color.data, { shape: [32, 32, 3] }) };
  });
  const init = samplePoints(icosphere(), 200, { seed: 3 });

  it("the synchronous entry points refuse device 'webgpu', naming the asynchronous ones", () => {
    expect(() => fitPointCloud(init, views, { device: 'webgpu' })).to.throw(ArgumentError, /fitPointCloudAsync or fitStepsAsync/);
    expect(() => fitSteps(init, views, { device: 'webgpu' })).to.throw(ArgumentError, /fitPointCloudAsync/);
    expect(() => fitSteps(init, views, { device: 'gpu' as never })).to.throw(ArgumentError, /'cpu' or 'webgpu'/);
  });

  it('fitStepsAsync on the CPU takes the same steps as fitSteps, to the bit', async () => {
    const options = { iterations: 12, splat: { sigma: 0.05 }, seed: 2 };
    const sync = fitSteps(init, views, options);
    const history: number[] = [];
    for (let r = sync.next(); !r.done; r = sync.next()) history.push(r.value);
    const steps = fitStepsAsync(init, views, { ...options, device: 'cpu' });
    const seen: number[] = [];
    let r = await steps.next();
    for (; !r.done; r = await steps.next()) seen.push(r.value);
    expect(seen).to.deep.equal(history);
    expect(Array.from(steps.state().positions)).to.deep.equal(Array.from(sync.state().positions));
    expect(r.value.history).to.have.length(12);
  });

  it('splatgrad fit takes --device cpu|webgpu; webgpu needs the GPU runFit requests', () => {
    expect(() => parseOptionValue('device', 'tpu')).to.throw(ArgumentError, /--device/);
    expect(parseOptionValue('device', 'webgpu')).to.equal('webgpu');
    const config = resolveFitConfig({ target: 'sphere', device: 'webgpu', size: 16, views: 2 });
    expect(config.device).to.equal('webgpu');
    expect(() => startFit(config)).to.throw(ArgumentError, /runFit requests it/);
  });
});
