/** A users file named on the command line (`--users`, `--kafka-users`), read or refused with a usage error. */
import { readUsersFile, type Users } from '../../lib/gateway/sasl/users-file.js';
import { CliUsageError } from './connect.js';

export async function usersFrom(path: string): Promise<Users> {
  try {
    const users = await readUsersFile(path);
    if (users.size === 0) throw new Error(`${path} has no users: add one with \`kafkaless users add NAME --password-stdin --file ${path}\``);
    return users;
  } catch (err) {
    throw new CliUsageError(err instanceof Error ? err.message : String(err));
  }
}
