/** A port number option (0 to 65535), refused as a usage error otherwise. */
import { InvalidArgumentError } from 'commander';

export function portOption(flag: string): (value: string) => number {
  return (value) => {
    const port = Number(value);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError(`${flag} must be a port number from 0 to 65535 (got ${value})`);
    return port;
  };
}
