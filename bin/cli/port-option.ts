/** Whole-number options (a port, a duration, a size), refused as a usage error when out of range. */
import { InvalidArgumentError } from 'commander';

export function wholeOption(flag: string, min: number, max: number, what = 'a whole number'): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`${flag} must be ${what} from ${min} to ${max} (got ${value})`);
    return n;
  };
}

export function portOption(flag: string): (value: string) => number {
  return wholeOption(flag, 0, 65535, 'a port number');
}
