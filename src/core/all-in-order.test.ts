import { describe, expect, it } from 'vitest';
import { allInOrder } from './all-in-order.ts';

const after = <T>(ms: number, value: T): Promise<T> => new Promise((resolve) => setTimeout(() => resolve(value), ms));
const failAfter = (ms: number, message: string): Promise<never> =>
  new Promise((_, reject) => setTimeout(() => reject(new Error(message)), ms));

describe('allInOrder', () => {
  it('gives the values in list order, typed per position', async () => {
    const [a, b] = await allInOrder([after(20, 1), after(1, 'two')] as const);
    expect(a + 1).toBe(2);
    expect(b.toUpperCase()).toBe('TWO');
  });

  it('reports the first failure in list order even when a later one fails sooner', async () => {
    await expect(allInOrder([after(1, 0), failAfter(30, 'first in the list'), failAfter(1, 'first in time')])).rejects.toThrow(
      'first in the list',
    );
  });

  it('waits for every promise before failing', async () => {
    let settled = false;
    const slow = after(30, 0).then(() => (settled = true));
    await expect(allInOrder([failAfter(1, 'broken'), slow])).rejects.toThrow('broken');
    expect(settled).toBe(true);
  });
});
