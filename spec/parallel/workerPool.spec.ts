import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ArgumentError, WorkerError } from '../../lib/errors.js';
import { closePool, poolSize, runTasks, startPool } from '../../parallel/workerPool.js';
import { probe, type ProbeArgs } from '../../parallel/probe.js';
import { float64, int32 } from '../../lib/sharedMemory.js';
import { arithmetic } from '../../parallel/arithmetic.js';
import { resolveThreads } from '../../parallel/threads.js';
import { defineKernel, kernelModules } from '../../parallel/kernels.js';

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

  it('loads a kernel its workers have not seen from the module that defines it', async () => {
    closePool();
    await startPool(2);
    const before = kernelModules();
    const { lateProbe } = await import('./lateKernel.js');
    expect(before, 'the workers started without it').to.not.include(lateProbe.module);
    const a = probeArgs(12, 'ok');
    runTasks(lateProbe, a, 12, 2);
    expect(a.checkIn[0], 'a worker ran a task of it').to.equal(1);
    expect(Array.from(a.out)).to.deep.equal(Array.from({ length: 12 }, (_, t) => t + 101));
  });

  it('refuses a kernel name that another module already defines', () => {
    expect(() => defineKernel(probe.name, 'file:///elsewhere.js', () => undefined)).to.throw(/defined in both/);
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

  it('never reports a failure half-written: 40 jobs in a row, each names its worker and its error', () => {
    // the caller may look at the job the moment a worker starts recording its failure
    for (let i = 0; i < 40; i++) {
      let error: unknown;
      try {
        runTasks(probe, probeArgs(8, 'throw'), 8, 2);
      } catch (e) {
        error = e;
      }
      expect((error as Error).message).to.match(/^worker 1 failed in task \d+ of 'pool\.probe': RangeError: probe task \d+ threw on purpose/);
    }
  });

  it('reports a worker that dies mid-job instead of waiting for it, and replaces it', () => {
    expect(() => runTasks(probe, probeArgs(8, 'exit'), 8, 2)).to.throw(WorkerError, /died \(exit code 3\)/);
    const a = probeArgs(8, 'ok');
    runTasks(probe, a, 8, 2);
    expect(Array.from(a.out)).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(a.checkIn[0], 'the replacement worker took part').to.equal(1);
  });

  it('runs the arithmetic yardstick of the benchmark to the same sums on 1 and 2 threads', () => {
    const args = (shared: boolean) => {
      const table = float64(64, shared);
      table.forEach((_, i) => (table[i] = 1 + i / 64));
      return { table, passes: 3, out: float64(6, shared) };
    };
    const one = args(false),
      two = args(true);
    runTasks(arithmetic, one, 6, 1);
    runTasks(arithmetic, two, 6, 2);
    expect(Array.from(two.out)).to.deep.equal(Array.from(one.out));
    // task t starts its first sum at t: every task's result differs, and none is missing
    expect(new Set(two.out).size).to.equal(6);
    expect(two.out.every((v) => v > 0)).to.equal(true);
  });

  it("runs the caller's meanwhile work once per job, first on one thread, beside the workers on two", () => {
    for (const threads of [1, 2]) {
      const a = threads === 1 ? { out: new Int32Array(6), mode: 'ok' as const, checkIn: new Int32Array([1]) } : probeArgs(6, 'ok');
      let calls = 0,
        doneBefore = -1;
      runTasks(probe, a, 6, threads, () => {
        calls++;
        doneBefore = a.out.filter((v) => v !== 0).length;
      });
      expect(calls).to.equal(1);
      expect(Array.from(a.out)).to.deep.equal([1, 2, 3, 4, 5, 6]);
      if (threads === 1) expect(doneBefore, 'on one thread it runs before any task').to.equal(0);
    }
  });

  it('rethrows an error of the meanwhile work, then keeps working', () => {
    expect(() =>
      runTasks(probe, probeArgs(6, 'ok'), 6, 2, () => {
        throw new RangeError('meanwhile failed on purpose');
      }),
    ).to.throw(RangeError, /meanwhile failed on purpose/);
    const a = probeArgs(6, 'ok');
    runTasks(probe, a, 6, 2);
    expect(Array.from(a.out)).to.deep.equal([1, 2, 3, 4, 5, 6]);
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

  it('starts its workers in a process run with a flag Node refuses workers (--expose-gc)', () => {
    const r = probeInChildProcess(['--expose-gc'], 4, 2, "typeof gc, a.checkIn[0], Array.from(a.out).join(',')");
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout.trim(), 'the flag still holds on the calling thread, and a worker took part').to.equal('function 1 1,2,3,4');
  });

  it('lets a Node process exit without closing the pool', () => {
    const r = probeInChildProcess([], 6, 3, "Array.from(a.out).join(',')");
    expect(r.error, 'the process did not exit by itself').to.equal(undefined);
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout.trim()).to.equal('1,2,3,4,5,6');
  });
});

/** Runs the probe job (`tasks` tasks, `threads` threads) in a fresh Node process started with `flags`; prints `print` (of the job's args `a`). */
function probeInChildProcess(flags: string[], tasks: number, threads: number, print: string) {
  const pool = fileURLToPath(new URL('../../parallel/workerPool.js', import.meta.url));
  const probeUrl = fileURLToPath(new URL('../../parallel/probe.js', import.meta.url));
  const script = `
    const { runTasks } = await import(${JSON.stringify(pool)});
    const { probe } = await import(${JSON.stringify(probeUrl)});
    const s = (n) => new Int32Array(new SharedArrayBuffer(4 * n));
    const a = { out: s(${tasks}), mode: 'ok', checkIn: s(1) };
    runTasks(probe, a, ${tasks}, ${threads});
    console.log(${print});`;
  return spawnSync(process.execPath, [...flags, '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
}

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
