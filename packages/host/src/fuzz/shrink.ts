/**
 * Delta debugging (Zeller's ddmin): the smallest sequence of events, found by removing chunks and keeping what
 * still fails, down to single events. Each try replays from the initial state, so it only needs `fails`.
 */
export async function ddmin<T>(
  items: readonly T[],
  fails: (candidate: readonly T[]) => Promise<boolean>,
  budget = 2000,
): Promise<T[]> {
  let current = [...items];
  let tries = 0;
  const tryOne = async (candidate: T[]) => tries++ < budget && (await fails(candidate));
  if (await tryOne([])) return [];
  let n = 2;
  while (current.length >= 2 && tries < budget) {
    const size = Math.ceil(current.length / n);
    const chunks: T[][] = [];
    for (let i = 0; i < current.length; i += size) chunks.push(current.slice(i, i + size));
    let reduced = false;
    for (const chunk of chunks)
      if (await tryOne(chunk)) {
        [current, n, reduced] = [chunk, 2, true];
        break;
      }
    // With two chunks, each complement is the other chunk, already tried.
    if (!reduced && chunks.length > 2)
      for (let i = 0; i < chunks.length; i++) {
        const complement = chunks.filter((_, j) => j !== i).flat();
        if (await tryOne(complement)) {
          [current, n, reduced] = [complement, Math.max(n - 1, 2), true];
          break;
        }
      }
    if (!reduced) {
      if (n >= current.length) break;
      n = Math.min(current.length, n * 2);
    }
  }
  return current;
}
