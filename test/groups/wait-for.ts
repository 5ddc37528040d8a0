/** Waits until a condition holds, checking every few ms; fails with `what` after a bound. */
export async function waitFor(condition: () => boolean | Promise<boolean>, what: string, limitMs = 20_000, everyMs = 20): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
