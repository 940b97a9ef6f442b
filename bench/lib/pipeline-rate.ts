/**
 * Images/s of the CNN training data pipeline alone (PNG read + decode, the app's preprocessing, augmentation,
 * targets): what the trainer's batches cost before any tensor exists. It runs on the same JS thread as the training
 * step, so its time per image adds to the step's: rate_total = 1 / (1 / rate_train + 1 / rate_pipeline).
 */
import { CNN_DEFAULTS, mergeConfig } from '../../training/config/config.ts';
import { openCnnData } from '../../training/data/open-cnn-data.ts';

export interface PipelineRate {
  augment: boolean;
  images: number;
  seconds: number;
  perSecond: number;
  /** CPU seconds of this process per wall second while it ran (1 = one core busy). */
  cores: number;
}

export async function measurePipeline(data: string, batches: number, augment: boolean, batchSize = 64): Promise<PipelineRate> {
  const config = { ...mergeConfig(CNN_DEFAULTS, [], { data, batchSize: String(batchSize) }), augment };
  const opened = await openCnnData(config);
  let images = 0;
  let n = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for await (const b of opened.train(1)) {
    images += b.n;
    if (++n >= batches) break;
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { augment, images, seconds, perSecond: images / seconds, cores: (cpu.user + cpu.system) / 1e6 / seconds };
}
