/**
 * Promise.all that waits for every promise and, when some fail, rejects with the first failure in list order, not
 * the first in time: with several broken inputs the same one is always reported.
 */
export async function allInOrder<T extends readonly unknown[]>(promises: { readonly [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const settled = await Promise.allSettled(promises);
  const values: unknown[] = [];
  for (const s of settled) {
    if (s.status === 'rejected') throw s.reason;
    values.push(s.value);
  }
  return values as unknown as T;
}
