import { createRequire } from 'node:module';
import { describe, expect, test } from 'vitest';
import * as tf from './tf.ts';
import { AUTO_ORDER, BackendUnavailableError, nativeTensorFlowVersion, selectBackend, type BackendRequest } from './select.ts';
import { describeWithTfjsNode, tfjsNodeUnavailable } from '../testing/tfjs-node.ts';

const require = createRequire(import.meta.url);

function installed(pkg: string): boolean {
  try {
    require.resolve(`${pkg}/package.json`);
    return true;
  } catch {
    return false;
  }
}

// Loads tfjs-node when it is built; every test below selects its own backend.
const tfjsNode = await tfjsNodeUnavailable();

function capture() {
  const lines: string[] = [];
  return { lines, log: (line: string) => lines.push(line) };
}

describe('selectBackend', () => {
  test('auto takes the first backend that loads (tfjs-node when built, else webgpu on a hardware adapter, else wasm) and says why it skipped the rest', async () => {
    const out = capture();
    const choice = await selectBackend('auto', out);
    expect(tf.getBackend()).toBe(choice.name === 'tfjs-node' ? 'tensorflow' : choice.name);
    expect(choice.skipped.map((s) => s.name)).toEqual(AUTO_ORDER.slice(0, AUTO_ORDER.indexOf(choice.name)));
    const gpu = choice.skipped.find((s) => s.name === 'tfjs-node-gpu');
    expect(gpu?.why).toMatch(/tfjs-node-gpu is not installed: it needs CUDA 11/);
    if (tfjsNode === '') {
      expect(choice.name).toBe('tfjs-node');
    } else {
      // A machine with a hardware GPU adapter may take webgpu; a machine like the CI one has none.
      expect(['webgpu', 'wasm']).toContain(choice.name);
      expect(choice.skipped.find((s) => s.name === 'tfjs-node')?.why).toMatch(/not installed|cannot be used|not load/);
    }
    if (choice.name === 'wasm') {
      expect(choice.skipped.find((s) => s.name === 'webgpu')?.why).toMatch(/adapter|not installed/);
      expect(choice.reason).toMatch(/WebAssembly/);
    }
    expect(out.lines).toHaveLength(1);
    expect(out.lines[0]).toContain(`backend: ${choice.name} (chosen by --backend auto)`);
    for (const skipped of choice.skipped) expect(out.lines[0]).toContain(`skipped ${skipped.name}: ${skipped.why}`);
  });

  test.each(['cpu', 'wasm'] as const)('explicit %s becomes the active backend and computes', async (name) => {
    const out = capture();
    const choice = await selectBackend(name, out);
    expect(choice).toMatchObject({ name, skipped: [] });
    expect(tf.getBackend()).toBe(name);
    expect(out.lines[0]).toContain(`backend: ${name} (as requested)`);
    const product = tf.tidy(() => tf.matMul(tf.tensor2d([[1, 2]]), tf.tensor2d([[3], [4]])).dataSync()[0]);
    expect(product).toBe(11);
  });

  test('wasm can be selected again after cpu in the same process', async () => {
    await selectBackend('cpu', capture());
    await selectBackend('wasm', capture());
    expect(tf.getBackend()).toBe('wasm');
  });

  test.skipIf(installed('@tensorflow/tfjs-node-gpu'))('an explicit backend that is not installed fails and says why', async () => {
    const out = capture();
    const failure = selectBackend('tfjs-node-gpu', out);
    await expect(failure).rejects.toBeInstanceOf(BackendUnavailableError);
    await expect(failure).rejects.toThrow(
      /--backend tfjs-node-gpu cannot be used: tfjs-node-gpu is not installed: it needs CUDA 11.*try --backend webgpu or wasm/,
    );
    expect(out.lines).toEqual([]);
  });

  test('an unknown backend name is refused with the accepted list', async () => {
    await expect(selectBackend('webgl' as BackendRequest, capture())).rejects.toThrow(
      "--backend must be one of auto, tfjs-node-gpu, tfjs-node, webgpu, wasm, cpu; got 'webgl'",
    );
  });
});

describeWithTfjsNode('selectBackend with tfjs-node built (npm run setup:tfjs-node)', tfjsNode, () => {
  test.skipIf(installed('@tensorflow/tfjs-node-gpu'))('auto takes tfjs-node and names its TensorFlow version and library', async () => {
    await selectBackend('wasm', capture());
    const out = capture();
    const choice = await selectBackend('auto', out);
    expect(choice.name).toBe('tfjs-node');
    expect(tf.getBackend()).toBe('tensorflow');
    expect(nativeTensorFlowVersion()).toMatch(/^\d+\.\d+\.\d+/);
    expect(choice.reason).toMatch(
      new RegExp(
        `^native TensorFlow on the CPU \\(tfjs-node\\): TensorFlow ${nativeTensorFlowVersion()!.replace(/\./g, '\\.')} from /\\S*libtensorflow`,
      ),
    );
    expect(out.lines).toEqual([
      `backend: tfjs-node (chosen by --backend auto): ${choice.reason}\n  skipped tfjs-node-gpu: ${choice.skipped[0]?.why}`,
    ]);
    const product = tf.tidy(() => tf.matMul(tf.tensor2d([[1, 2]]), tf.tensor2d([[3], [4]])).dataSync()[0]);
    expect(product).toBe(11);
  });
});
