/** A small FER+-layout dataset written to disk for training tests: learnable patterns, real PNG files. */
import path from 'node:path';
import { writeGrayPng, writeText } from '../data/fixtures.ts';
import { FERPLUS_VOTE_COLUMNS } from '../../src/core/emotions.ts';
import { createRng } from '../util/rng.ts';

/**
 * Writes FER2013Train/Valid/Test folders with `perSplit` 48x48 images each. Class k (of the first
 * `classes` FER+ columns) is a bright band at a class-specific row, plus noise, so a CNN can learn it.
 */
export function writeFerFixture(root: string, perSplit: number, seed = 3, classes = 4): void {
  const rng = createRng(seed);
  for (const split of ['FER2013Train', 'FER2013Valid', 'FER2013Test']) {
    const dir = path.join(root, 'data', split);
    const rows: string[] = [];
    for (let i = 0; i < perSplit; i++) {
      const k = i % classes;
      const name = `fer${String(i).padStart(7, '0')}.png`;
      const noise = Array.from({ length: 48 * 48 }, () => rng() * 60);
      writeGrayPng(path.join(dir, name), 48, 48, (x, y) =>
        Math.min(255, (Math.abs(y - (8 + k * 10)) < 4 ? 200 : 40) + (noise[y * 48 + x] ?? 0)),
      );
      const votes = FERPLUS_VOTE_COLUMNS.map((_, j) => (j === k ? 9 : j === 8 ? 1 : 0));
      rows.push(`${name},"(0, 0, 48, 48)",${votes.join(',')}`);
    }
    writeText(path.join(dir, 'label.csv'), rows.map((r) => `${r}\n`).join(''));
  }
}
