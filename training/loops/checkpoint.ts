/**
 * Checkpoints: everything needed to continue a killed run exactly where its last completed epoch left
 * it: model weights, optimizer slots (momentum accumulators + iteration count), the loop's state and the
 * resolved config. Written atomically every epoch; `best/` holds the best epoch by validation metric.
 */
import { readFile, writeFile, access } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '../backend/tf.ts';
import { fileLoadHandler, fileSaveHandler, replaceDir } from '../util/fs-io.ts';

export interface EpochRecord {
  epoch: number;
  step: number;
  lr: number;
  trainLoss: number;
  seconds: number;
  /** Validation metrics, e.g. accuracy, macroF1, cccValence, cccArousal, rmseValence... */
  val: Record<string, number>;
}

export interface LoopState {
  /** Completed epochs. */
  epoch: number;
  /** Optimizer steps taken. */
  step: number;
  bestMetric: number;
  bestEpoch: number;
  history: EpochRecord[];
}

export const INITIAL_STATE: LoopState = { epoch: 0, step: 0, bestMetric: -Infinity, bestEpoch: -1, history: [] };

interface OptimizerFile {
  names: string[];
  specs: tf.io.WeightsManifestEntry[];
}

async function exists(p: string): Promise<boolean> {
  return access(p).then(
    () => true,
    () => false,
  );
}

export function checkpointDir(runDir: string): string {
  return path.join(runDir, 'checkpoint');
}

export function bestDir(runDir: string): string {
  return path.join(runDir, 'best');
}

export async function hasCheckpoint(runDir: string): Promise<boolean> {
  return exists(path.join(checkpointDir(runDir), 'state.json'));
}

export async function saveCheckpoint(
  runDir: string,
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  state: LoopState,
  config: object,
): Promise<void> {
  const named = await optimizer.getWeights();
  const { data, specs } = await tf.io.encodeWeights(named);
  // getWeights() makes a fresh scalar for the iteration count; the other entries are the live slots.
  for (const n of named) if (n.name === 'iter') n.tensor.dispose();
  await replaceDir(checkpointDir(runDir), async (tmp) => {
    await model.save(fileSaveHandler(tmp));
    const meta: OptimizerFile = { names: named.map((n) => n.name), specs };
    await writeFile(path.join(tmp, 'optimizer.json'), JSON.stringify(meta));
    await writeFile(path.join(tmp, 'optimizer.bin'), new Uint8Array(data));
    await writeFile(path.join(tmp, 'config.json'), JSON.stringify(config, null, 2));
    await writeFile(path.join(tmp, 'state.json'), JSON.stringify(state, null, 2));
  });
}

export async function saveBest(runDir: string, model: tf.LayersModel, state: LoopState, config: object): Promise<void> {
  await replaceDir(bestDir(runDir), async (tmp) => {
    await model.save(fileSaveHandler(tmp));
    await writeFile(path.join(tmp, 'config.json'), JSON.stringify(config, null, 2));
    await writeFile(path.join(tmp, 'state.json'), JSON.stringify(state, null, 2));
  });
}

export async function loadModelFrom(dir: string): Promise<tf.LayersModel> {
  if (!(await exists(path.join(dir, 'model.json')))) throw new Error(`${dir}: no model.json (has this run trained an epoch?)`);
  return tf.loadLayersModel(fileLoadHandler(dir));
}

export interface LoadedCheckpoint {
  model: tf.LayersModel;
  optimizerWeights: { name: string; tensor: tf.Tensor }[];
  state: LoopState;
  config: unknown;
}

export async function loadCheckpoint(runDir: string): Promise<LoadedCheckpoint> {
  const dir = checkpointDir(runDir);
  const model = await loadModelFrom(dir);
  const meta = JSON.parse(await readFile(path.join(dir, 'optimizer.json'), 'utf8')) as OptimizerFile;
  const bin = await readFile(path.join(dir, 'optimizer.bin'));
  const map = tf.io.decodeWeights(bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength), meta.specs);
  const optimizerWeights = meta.names.map((name) => {
    const tensor = map[name];
    if (!tensor) throw new Error(`${path.join(dir, 'optimizer.json')}: optimizer slot "${name}" missing from optimizer.bin`);
    return { name, tensor };
  });
  const state = JSON.parse(await readFile(path.join(dir, 'state.json'), 'utf8')) as LoopState;
  const config = JSON.parse(await readFile(path.join(dir, 'config.json'), 'utf8')) as unknown;
  return { model, optimizerWeights, state, config };
}
