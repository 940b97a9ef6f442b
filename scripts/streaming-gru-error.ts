/**
 * npm run gru:streaming-error [-- --shared ../shared --models public/models]
 *
 * How far the app's streaming GRU (src/core/streaming-gru.ts, K staggered states) is from the exact rolling
 * 100-frame window, and what each costs per frame. Feature sequences: the exported expression CNN's 300-d
 * features of the 40 CK+ sequences in the fake-camera video's order (684 frames, neutral -> apex, ten
 * subjects), each frame cropped to a centred square of 0.8 x its height (CK+ faces sit in the middle of the
 * frame; no detector runs in Node). GRU: the exported temporal-gru when there is one, else a GRU(100) + Dense
 * 2 with tfjs's default initialisers (glorot kernel, orthogonal recurrent kernel; seeded) and the app's
 * sigmoid gates, which the figures then say.
 */
import { predictFaces } from '../src/core/mirror-average.ts';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { PNG } from 'pngjs';
import { parseManifest } from '../src/core/manifest.ts';
import type { ModelEntry } from '../src/core/manifest.ts';
import { preprocessFace } from '../src/core/preprocess.ts';
import { RECURRENT_ACTIVATION } from '../src/core/recurrent.ts';
import { createStreamingGru, exactRollingOutputs, measureStreamingError, runWindow } from '../src/core/streaming-gru.ts';
import type { GruStackWeights } from '../src/core/streaming-gru.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WINDOW = 100;

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : path.resolve(ROOT, fallback);
}

/** tfjs IOHandler over an exported model folder (model.json + the weight files it names). */
function filesHandler(modelsDir: string, entry: ModelEntry): tf.io.IOHandler {
  return {
    async load() {
      const json = JSON.parse(readFileSync(path.join(modelsDir, entry.entry), 'utf8')) as tf.io.ModelJSON;
      const dir = path.dirname(path.join(modelsDir, entry.entry));
      const buffers = json.weightsManifest.flatMap((g) => g.paths.map((p) => readFileSync(path.join(dir, p))));
      const joined = Buffer.concat(buffers);
      return {
        modelTopology: json.modelTopology,
        weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
        weightData: joined.buffer.slice(joined.byteOffset, joined.byteOffset + joined.byteLength),
      };
    },
  };
}

function stackOf(model: tf.LayersModel): GruStackWeights {
  const vals = (l: tf.layers.Layer) => l.getWeights().map((w) => w.dataSync() as Float32Array);
  const grus = model.layers.filter((l) => l.getClassName() === 'GRU');
  const head = model.getLayer('va');
  const [hk, hb] = vals(head) as [Float32Array, Float32Array];
  return {
    layers: grus.map((l) => {
      const [kernel, recurrentKernel, bias] = vals(l) as [Float32Array, Float32Array, Float32Array];
      const units = Number(l.getConfig().units);
      return { inputSize: kernel.length / (3 * units), units, kernel, recurrentKernel, bias };
    }),
    head: { inputSize: hk.length / hb.length, outputs: hb.length, kernel: hk, bias: hb },
  };
}

function defaultGru(): tf.LayersModel {
  const input = tf.input({ shape: [WINDOW, 300] });
  const h = tf.layers
    .gru({
      units: 100,
      recurrentActivation: RECURRENT_ACTIVATION,
      kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
      recurrentInitializer: tf.initializers.orthogonal({ seed: 2 }),
    })
    .apply(input) as tf.SymbolicTensor;
  const va = tf.layers
    .dense({ units: 2, name: 'va', kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) })
    .apply(h) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: va });
}

async function main(): Promise<void> {
  await tf.setBackend('cpu');
  const shared = flag('shared', '../shared');
  const modelsDir = flag('models', 'public/models');
  const labelsFile = path.join(shared, 'media/ckplus40-10fps-labels.csv');
  const images = path.join(shared, 'datasets/ckplus-sequences/cohn-kanade-images');
  if (!existsSync(labelsFile) || !existsSync(images)) throw new Error(`gru:streaming-error: needs ${labelsFile} and ${images}`);
  const manifest = parseManifest(readFileSync(path.join(modelsDir, 'manifest.json'), 'utf8'));
  const cnnEntry = manifest.models.find((m) => m.task === 'face-expression');
  if (!cnnEntry) throw new Error('gru:streaming-error: no expression-cnn in the manifest (npm run export -- --cnn RUN)');
  const cnn = await tf.loadLayersModel(filesHandler(modelsDir, cnnEntry));
  const featuresOut = cnnEntry.outputs.findIndex((o) => o.name === 'features');
  const size = cnnEntry.input.shape[0]!;
  const spec = { size, margin: 0, normalisation: cnnEntry.input.normalisation };

  const sequences = [
    ...new Set(
      readFileSync(labelsFile, 'utf8')
        .split(/\r?\n/)
        .slice(1)
        .filter(Boolean)
        .map((l) => l.split(',')[1]!),
    ),
  ];
  const frames: Float32Array[] = [];
  for (const s of sequences) {
    const dir = path.join(images, ...s.split('_'));
    for (const f of readdirSync(dir)
      .filter((n) => n.endsWith('.png'))
      .sort()) {
      const png = PNG.sync.read(readFileSync(path.join(dir, f)));
      const side = 0.8 * png.height;
      const box = { x: (png.width - side) / 2, y: (png.height - side) / 2, width: side, height: side };
      const input = preprocessFace({ data: png.data, width: png.width, height: png.height, channels: 4 }, spec, box);
      frames.push(
        tf.tidy(
          () =>
            predictFaces(cnn, tf.tensor4d(input, [1, size, size, 1]), cnnEntry.input.mirrorAverage === true)[
              featuresOut
            ]!.dataSync() as Float32Array,
        ),
      );
    }
  }
  cnn.dispose();

  const gruEntry = manifest.models.find((m) => m.task === 'temporal-va');
  const gru = gruEntry ? await tf.loadLayersModel(filesHandler(modelsDir, gruEntry)) : defaultGru();
  const stack = stackOf(gru);
  gru.dispose();
  const gruName = gruEntry
    ? `exported ${gruEntry.name} ${gruEntry.version}`
    : 'GRU(100) with tfjs default initialisers (no temporal-gru exported yet)';
  console.log(
    `features: ${frames.length} frames of ${sequences.length} CK+ sequences (${cnnEntry.name} ${cnnEntry.version}); GRU: ${gruName}`,
  );

  const timeRun = (work: () => void, reps: number): number => {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) work();
    return (performance.now() - t0) / reps;
  };
  const window = frames.slice(0, WINDOW);
  const exactMs = timeRun(() => runWindow(stack, window), 20);
  const outputs = stack.head.outputs;
  const range = exactRollingOutputs(stack, frames, WINDOW);
  const spread = Array.from({ length: outputs }, (_, k) => Math.max(...range.map((v) => v[k]!)) - Math.min(...range.map((v) => v[k]!)));
  console.log(
    `exact window re-run: ${exactMs.toFixed(2)} ms per frame; exact output range over the video: ${spread.map((s) => s.toFixed(3)).join(' / ')} (valence / arousal)`,
  );
  console.log('K states  covers (frames)  max |error|  mean |error|  ms per frame');
  for (const k of [1, 2, 4, 5, 10, 20, 25, 50, 100]) {
    const e = measureStreamingError(stack, frames, WINDOW, k, range);
    const stream = createStreamingGru(stack, { window: WINDOW, states: k });
    let i = 0;
    const ms = timeRun(() => stream.push(frames[i++ % frames.length]!), 300);
    console.log(
      `${String(k).padEnd(10)}${`${WINDOW - WINDOW / k + 1}-${WINDOW}`.padEnd(16)}${e.maxAbs.toExponential(2).padEnd(13)}${e.meanAbs.toExponential(2).padEnd(14)}${ms.toFixed(3)}`,
    );
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exitCode = 1;
});
