/**
 * Judges an exactly-once run: each input's output appears exactly once in
 * what a read_committed consumer reads, and nothing else does. Outputs name
 * their input (`out-<input>`). Pure.
 */
export interface ExactlyOnceVerdict {
  readonly missing: readonly string[];
  readonly duplicated: readonly string[];
  readonly unexpected: readonly string[];
}

export function checkExactlyOnce(inputs: readonly string[], outputs: readonly string[], outputOf: (input: string) => string): ExactlyOnceVerdict {
  const expected = new Map(inputs.map((input) => [outputOf(input), 0]));
  const unexpected: string[] = [];
  for (const output of outputs) {
    const seen = expected.get(output);
    if (seen === undefined) unexpected.push(output);
    else expected.set(output, seen + 1);
  }
  const missing = [...expected].filter(([, n]) => n === 0).map(([o]) => o);
  const duplicated = [...expected].filter(([, n]) => n > 1).map(([o]) => o);
  return { missing, duplicated, unexpected };
}
