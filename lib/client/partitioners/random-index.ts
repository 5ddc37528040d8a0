import type { RandomSource } from './partitioner.js';

/** A uniform integer in [0, count) from a source of numbers in [0, 1). */
export function randomIndex(random: RandomSource, count: number): number {
  const index = Math.floor(random() * count);
  return Math.min(Math.max(index, 0), count - 1);
}

/** A uniform integer in [0, count) other than `excluded` (which must be in range); needs count >= 2. */
export function randomIndexExcept(random: RandomSource, count: number, excluded: number): number {
  const index = randomIndex(random, count - 1);
  return index >= excluded ? index + 1 : index;
}
