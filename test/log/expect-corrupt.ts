import { expect } from 'vitest';
import { KafkalessError } from '../../lib/errors.js';

function checkCorrupt(err: unknown): void {
  expect(err).toBeInstanceOf(KafkalessError);
  expect((err as KafkalessError).code).toBe('CorruptRecord');
}

/** Asserts `run` throws KafkalessError('CorruptRecord'). */
export function expectCorrupt(run: () => unknown): void {
  let thrown: unknown;
  try {
    run();
  } catch (err) {
    thrown = err;
  }
  expect(thrown, 'expected CorruptRecord').toBeDefined();
  checkCorrupt(thrown);
}

/** Asserts `promise` rejects with KafkalessError('CorruptRecord'). */
export async function expectCorruptAsync(promise: Promise<unknown>): Promise<void> {
  let thrown: unknown;
  try {
    await promise;
  } catch (err) {
    thrown = err;
  }
  expect(thrown, 'expected CorruptRecord').toBeDefined();
  checkCorrupt(thrown);
}

/** Runs `promise`; passes if it resolves or rejects with CorruptRecord, fails on any other error. */
export async function expectDecodedOrCorrupt(promise: Promise<unknown>): Promise<'decoded' | 'corrupt'> {
  try {
    await promise;
    return 'decoded';
  } catch (err) {
    checkCorrupt(err);
    return 'corrupt';
  }
}
