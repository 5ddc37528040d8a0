/**
 * The users file (`kafkaless gateway --users FILE`, the gateway prop's
 * secret): JSON, per user and SCRAM mechanism the credential Kafka keeps
 * (base64 salt, stored key and server key, and the iteration count), no
 * passwords. `{"users":{"alice":{"SCRAM-SHA-512":{"salt":"…","iterations":4096,"storedKey":"…","serverKey":"…"}}}}`
 */
import { readFile, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { MAX_ITERATIONS, MIN_ITERATIONS, SCRAM_MECHANISMS, type ScramCredential, type ScramMechanism } from './scram-credential.js';

export type UserCredentials = Readonly<Partial<Record<ScramMechanism, ScramCredential>>>;
export type Users = ReadonlyMap<string, UserCredentials>;

const base64 = z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/, 'must be base64');
const credentialSchema = z.strictObject({
  salt: base64,
  iterations: z.number().int().min(MIN_ITERATIONS).max(MAX_ITERATIONS),
  storedKey: base64,
  serverKey: base64,
});
const userSchema = z.strictObject(Object.fromEntries(SCRAM_MECHANISMS.map((m) => [m, credentialSchema.optional()])) as Record<ScramMechanism, z.ZodOptional<typeof credentialSchema>>);
const fileSchema = z.strictObject({ users: z.record(z.string().min(1), userSchema) });

export type UsersJson = z.infer<typeof fileSchema>;

/** The users of a users file's text; an Error naming the field when it is not one. */
export function parseUsers(text: string, source: string): Users {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`${source} is not JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${source} is not a users file: ${issue.path.join('.') || '(top)'} ${issue.message}`);
  }
  return usersOf(parsed.data);
}

export function usersOf(json: UsersJson): Users {
  const users = new Map<string, UserCredentials>();
  for (const [name, mechanisms] of Object.entries(json.users)) {
    const credentials: Partial<Record<ScramMechanism, ScramCredential>> = {};
    for (const mechanism of SCRAM_MECHANISMS) {
      const c = mechanisms[mechanism];
      if (c !== undefined) credentials[mechanism] = { salt: Buffer.from(c.salt, 'base64'), iterations: c.iterations, storedKey: Buffer.from(c.storedKey, 'base64'), serverKey: Buffer.from(c.serverKey, 'base64') };
    }
    users.set(name, credentials);
  }
  return users;
}

export function usersJson(users: Users): UsersJson {
  const out: UsersJson = { users: {} };
  for (const [name, credentials] of [...users].sort(([a], [b]) => a.localeCompare(b))) {
    const entry: UsersJson['users'][string] = {};
    for (const mechanism of SCRAM_MECHANISMS) {
      const c = credentials[mechanism];
      if (c !== undefined) entry[mechanism] = { salt: c.salt.toString('base64'), iterations: c.iterations, storedKey: c.storedKey.toString('base64'), serverKey: c.serverKey.toString('base64') };
    }
    out.users[name] = entry;
  }
  return out;
}

export async function readUsersFile(path: string): Promise<Users> {
  return parseUsers(await readFile(path, 'utf8'), path);
}

export async function writeUsersFile(path: string, users: Users): Promise<void> {
  await writeFile(path, `${JSON.stringify(usersJson(users), null, 2)}\n`, { mode: 0o600 });
}
