/** Maps with at most `limit` calls at once, results in input order. */
export async function mapLimit<T, R>(inputs: readonly T[], limit: number, fn: (input: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(inputs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < inputs.length) {
      const i = next++;
      results[i] = await fn(inputs[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, inputs.length) }, worker));
  return results;
}
