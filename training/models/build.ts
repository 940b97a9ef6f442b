/** The one place a CNN config becomes a model. */
import type * as tf from '../backend/tf.ts';
import type { CnnConfig } from '../config/config.ts';
import { EMOTIONS } from '../../src/core/emotions.ts';
import { buildEfficientCnn } from './efficient-cnn.ts';
import { buildPaperCnn } from './paper-cnn.ts';

export function buildCnn(config: Pick<CnnConfig, 'model' | 'inputSize' | 'heads'>): tf.LayersModel {
  if (config.model === 'paper') return buildPaperCnn({ inputSize: config.inputSize, heads: config.heads, numClasses: EMOTIONS.length });
  return buildEfficientCnn({ inputSize: config.inputSize, heads: config.heads, numClasses: EMOTIONS.length });
}
