// The kernels a pool worker can run, by name. An op defines its kernels with `defineKernel` in its
// own folder, naming the module that defines them (import.meta.url); a worker that meets a kernel
// it does not know imports that module, whose definitions register themselves. So a new method
// adds kernels without touching any list here, and parallel/ imports nothing above lib/.

import type { Kernel } from './job.js';

const registry = new Map<string, Kernel<never>>();

/**
 * A kernel named `name` whose task t runs `run(args, t)`. `module` is the URL of the module that
 * calls this (pass import.meta.url), so a worker can load it. Names are unique across modules.
 */
export function defineKernel<A>(name: string, module: string, run: (args: A, task: number) => void): Kernel<A> {
  const known = registry.get(name);
  if (known && known.module !== module) throw new Error(`defineKernel: '${name}' is defined in both ${known.module} and ${module}; give one of them another name.`);
  const kernel: Kernel<A> = { name, module, run };
  registry.set(name, kernel as Kernel<never>);
  return kernel;
}

/** The kernel registered under `name` in this thread, or undefined. */
export function kernelNamed(name: string): Kernel<never> | undefined {
  return registry.get(name);
}

/** The modules that defined this thread's kernels so far (a new worker preloads them). */
export function kernelModules(): string[] {
  return [...new Set([...registry.values()].map((k) => k.module))];
}
