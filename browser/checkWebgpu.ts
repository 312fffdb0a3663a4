// `npm run check:webgpu [-- --json] [--if-available]`: the GPU path of the splat op against the
// CPU path (browser/webgpuCheck.ts), in Node when the optional package `webgpu` finds an adapter,
// and in headless Chromium with WebGPU on (SwiftShader when there is no GPU). Prints a report
// (one JSON object with --json: { adapter, node, browser, ok }, where node and browser are each
// { ran, imageMaxRelDiff, gradMaxRelDiff, sameBitsTwice, ... } or { ran: false, reason }).
//
// Exit 0 when every part that ran met the goals; 1 when one did not; 2 when neither could run.
// `--if-available` (npm test) exits 0 when neither could run, after printing why, unless
// SPLATGRAD_REQUIRE_WEBGPU=1 (set by .ci/run, which installs Chromium): then a part that cannot
// run fails the check, so a missing browser is reported, not passed.
//
// The Node half runs in a child process (`--node-half`): when the system's Vulkan drivers give no
// adapter and VK_ICD_FILENAMES is unset, it is retried on Chromium's SwiftShader driver.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { findBrowser, runPage } from './serve.js';

type Half = { ran: true; adapter: string; ok: boolean; imageMaxRelDiff: number; gradMaxRelDiff: number; sameBitsTwice: boolean; [k: string]: unknown } | { ran: false; reason: string };

const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--enable-unsafe-webgpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** In the child process: the check on the Node package's adapter, printed as one JSON line. */
async function nodeHalf(): Promise<void> {
  const { DeviceError } = await import('../lib/errors.js');
  const { SplatGpu } = await import('../ops/splat/webgpu/gpuSplat.js');
  const { runWebgpuCheck } = await import('./webgpuCheck.js');
  const { closePool } = await import('../parallel/workerPool.js');
  let out: unknown;
  try {
    const gpu = await SplatGpu.request();
    try {
      out = await runWebgpuCheck(gpu);
    } finally {
      gpu.destroy();
    }
  } catch (e) {
    if (!(e instanceof DeviceError)) throw e;
    out = { ran: false, reason: e.message };
  }
  closePool();
  process.stdout.write(`\n${JSON.stringify(out)}\n`);
  process.exit(0);
}

function runNodeHalf(env: NodeJS.ProcessEnv): Promise<Half> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--node-half'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '',
      stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), 300_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(stdout.trim().split('\n').pop() ?? '') as Half);
      } catch {
        resolve({ ran: false, reason: `the Node half failed (exit ${code}${signal ? `, ${signal}` : ''}): ${stderr.trim().split('\n').slice(-6).join(' | ')}` });
      }
    });
  });
}

async function nodeCheck(): Promise<Half> {
  const first = await runNodeHalf(process.env);
  if (first.ran || process.env.VK_ICD_FILENAMES || !existsSync(SWIFTSHADER_ICD)) return first;
  const retry = await runNodeHalf({ ...process.env, VK_ICD_FILENAMES: SWIFTSHADER_ICD });
  return retry.ran ? { ...retry, vulkanDriver: `SwiftShader (${SWIFTSHADER_ICD}): the system's Vulkan drivers gave no adapter (${first.reason})` } : first;
}

async function browserCheck(): Promise<Half> {
  const browser = findBrowser();
  if (!browser) return { ran: false, reason: 'no Chromium found: set CHROME, or on Debian apt-get install chromium' };
  try {
    return JSON.parse(await runPage(browser, 'browser/webgpu.html', CHROMIUM_FLAGS, 300_000)) as Half;
  } catch (e) {
    return { ran: false, reason: `${browser}: ${e instanceof Error ? e.message : String(e)}` };
  }
}

function summary(name: string, h: Half): string {
  if (!h.ran) return `${name}: did not run: ${h.reason}`;
  const r = h as Half & {
    scenes: { name: string; imageMaxRelDiff: number; gradMaxRelDiff: Record<string, number>; gpuMs: Record<string, number>; cpuMs: Record<string, number> }[];
    fit: { ok: boolean; maxDiffOverDrop: number };
    seconds: number;
    speed: unknown;
  };
  const lines = [
    `${name}: ${h.ok ? 'ok' : 'FAILED'} on ${h.adapter} (${r.seconds} s): image ${h.imageMaxRelDiff.toExponential(2)}, gradients ${h.gradMaxRelDiff.toExponential(2)}, same bits twice ${h.sameBitsTwice}`,
  ];
  for (const s of r.scenes) {
    const g = s.gradMaxRelDiff;
    lines.push(
      `  ${s.name.padEnd(26)} image ${s.imageMaxRelDiff.toExponential(2)}  grad p ${g.positions.toExponential(2)} n ${g.normals.toExponential(2)} w ${g.attributes.toExponential(2)}  GPU ${s.gpuMs.forward} + ${s.gpuMs.backward} ms, CPU ${s.cpuMs.forward} + ${s.cpuMs.backward} ms`,
    );
  }
  lines.push(`  fit, 20 steps: ${r.fit.ok ? 'ok' : 'FAILED'} (largest loss difference ${(100 * r.fit.maxDiffOverDrop).toFixed(2)}% of the CPU's drop)`);
  lines.push(`  speed: ${JSON.stringify(r.speed)}`);
  return lines.join('\n');
}

async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  const ifAvailable = process.argv.includes('--if-available');
  const require = process.env.SPLATGRAD_REQUIRE_WEBGPU === '1';
  const pending = browserCheck(); // the browser starts while the Node half runs
  const node = await nodeCheck();
  const browser = await pending;
  const ran = [node, browser].filter((h) => h.ran);
  const failed = ran.some((h) => h.ran && !h.ok);
  const missing = [node, browser].some((h) => !h.ran);
  const adapter = node.ran ? node.adapter : browser.ran ? browser.adapter : null;
  const ok = ran.length > 0 && !failed && !(require && missing);
  const report = { adapter, node, browser, ok };
  if (json) console.log(JSON.stringify(report, null, 2));
  else {
    console.log(summary('node', node));
    console.log(summary('browser', browser));
  }
  if (ran.length === 0 && ifAvailable && !require) {
    console.error('check:webgpu: neither Node nor a browser has a WebGPU adapter here, so the GPU path was not checked (see the reasons above; CI installs Chromium and requires it).');
    return;
  }
  if (require && missing) console.error('check:webgpu: SPLATGRAD_REQUIRE_WEBGPU=1 and a part could not run (see above).');
  process.exitCode = ran.length === 0 ? 2 : ok ? 0 : 1;
}

if (process.argv.includes('--node-half')) await nodeHalf();
else await main();
