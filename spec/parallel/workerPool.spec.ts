import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ArgumentError, WorkerError } from '../../lib/errors.js';
import { closePool, poolSize, runTasks, startPool } from '../../parallel/workerPool.js';
import { probe, type ProbeArgs } from '../../parallel/probe.js';
import { int32 } from '../../parallel/sharedMemory.js';
import { resolveThreads } from '../../parallel/threads.js';

function probeArgs(count: number, mode: ProbeArgs['mode']): ProbeArgs {
  return { out: int32(count, true), mode, checkIn: int32(1, true) };
}

describe('worker pool', () => {
  after(() => closePool());

  for (const threads of [2, 4]) {
    it(`runs every task exactly once over ${threads} threads, a worker among them`, () => {
      const a = probeArgs(40, 'ok');
      runTasks(probe, a, 40, threads);
      expect(Array.from(a.out)).to.deep.equal(Array.from({ length: 40 }, (_, t) => t + 1));
      expect(a.checkIn[0], 'a worker took part').to.equal(1);
      expect(poolSize()).to.be.at.least(threads - 1);
    });
  }

  it('starts its workers ahead with startPool, which resolves once each has answered', async () => {
    closePool();
    expect(await startPool(3)).to.equal(2);
    expect(poolSize()).to.equal(2);
    expect(await startPool(1), 'one thread needs no worker').to.equal(0);
    let error: unknown;
    await startPool(0).catch((e) => (error = e));
    expect(error).to.be.instanceOf(ArgumentError);
    expect((error as Error).message).to.match(/threads must be an integer/);
  });

  it('runs on the calling thread alone with threads: 1, on ordinary arrays', () => {
    const a = { out: new Int32Array(5), mode: 'ok' as const, checkIn: new Int32Array([1]) };
    runTasks(probe, a, 5, 1);
    expect(Array.from(a.out)).to.deep.equal([1, 2, 3, 4, 5]);
  });

  it('rethrows a kernel error from a worker as a WorkerError carrying its message, then keeps working', () => {
    let error: unknown;
    try {
      runTasks(probe, probeArgs(8, 'throw'), 8, 2);
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(WorkerError);
    expect((error as WorkerError).message).to.match(/pool\.probe.*RangeError: probe task \d+ threw on purpose/);
    expect((error as WorkerError).workerName).to.equal('RangeError');
    expect((error as WorkerError).workerStack).to.contain('probe');
    const a = probeArgs(8, 'ok');
    runTasks(probe, a, 8, 2);
    expect(Array.from(a.out)).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('reports a worker that dies mid-job instead of waiting for it, and replaces it', () => {
    expect(() => runTasks(probe, probeArgs(8, 'exit'), 8, 2)).to.throw(WorkerError, /died \(exit code 3\)/);
    const a = probeArgs(8, 'ok');
    runTasks(probe, a, 8, 2);
    expect(Array.from(a.out)).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(a.checkIn[0], 'the replacement worker took part').to.equal(1);
  });

  it('refuses arrays a worker would only see a copy of', () => {
    const a = { out: new Int32Array(4), mode: 'ok' as const, checkIn: int32(1, true) };
    expect(() => runTasks(probe, a, 4, 2)).to.throw(TypeError, /args\.out is not on a SharedArrayBuffer/);
  });

  it('closes its workers, and starts fresh ones on the next call', () => {
    runTasks(probe, probeArgs(4, 'ok'), 4, 2);
    closePool();
    expect(poolSize()).to.equal(0);
    const a = probeArgs(4, 'ok');
    runTasks(probe, a, 4, 2);
    expect(Array.from(a.out)).to.deep.equal([1, 2, 3, 4]);
  });

  it('lets a Node process exit without closing the pool', () => {
    const pool = fileURLToPath(new URL('../../parallel/workerPool.js', import.meta.url));
    const probeUrl = fileURLToPath(new URL('../../parallel/probe.js', import.meta.url));
    const script = `
      const { runTasks } = await import(${JSON.stringify(pool)});
      const { probe } = await import(${JSON.stringify(probeUrl)});
      const s = (n) => new Int32Array(new SharedArrayBuffer(4 * n));
      const a = { out: s(6), mode: 'ok', checkIn: s(1) };
      runTasks(probe, a, 6, 3);
      console.log(Array.from(a.out).join(','));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
    expect(r.error, 'the process did not exit by itself').to.equal(undefined);
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout.trim()).to.equal('1,2,3,4,5,6');
  });
});

describe('threads option', () => {
  it('defaults to the cores of this machine', () => {
    expect(resolveThreads(undefined)).to.be.at.least(1);
  });

  it('rejects counts that are not whole numbers from 1 up, naming the option', () => {
    for (const bad of [0, -1, 1.5, Number.NaN, '2', 1000]) {
      expect(() => resolveThreads(bad, 'options.threads')).to.throw(ArgumentError, /options\.threads must be an integer from 1/);
    }
  });
});
