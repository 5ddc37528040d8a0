/** The container's users: read at start, re-read into the same store, a bad re-read keeping the users held; and its SASL settings from the environment. */
import { describe, expect, it } from 'vitest';
import { loadGatewayConfig } from '../../../lib/config/gateway-config.js';
import { scramCredential } from '../../../lib/gateway/sasl/scram-credential.js';
import { reloadingUsers } from '../../../lib/gateway/sasl/users-reload.js';
import { usersJson } from '../../../lib/gateway/sasl/users-file.js';
import { ENV, GATEWAY_ENV, GATEWAY_ROLES, envNamesForRoles } from '../../../lib/names.js';

const fileOf = (...names: string[]) => JSON.stringify(usersJson(new Map(names.map((n) => [n, { 'SCRAM-SHA-256': scramCredential('SCRAM-SHA-256', `${n}-pw`) }]))));

describe('reloading users', () => {
  it('serves users added to the source after a re-read, and keeps them through a bad one', async () => {
    let text = fileOf('alice');
    const logged: string[] = [];
    const users = await reloadingUsers({ read: async () => text, source: 'test', log: (level, message) => logged.push(`${level} ${message}`) });
    expect(users.store.lookup('bob')).toBeUndefined();
    text = fileOf('alice', 'bob');
    await users.reload();
    expect(users.store.lookup('bob')?.['SCRAM-SHA-256']).toBeDefined();
    text = '{"users": 3}';
    await users.reload();
    expect(users.store.size()).toBe(2);
    expect(logged.at(-1)).toBe('error Kafka gateway users could not be re-read; the previous ones stay in force');
    users.stop();
  });

  it('fails at start when the first read is not a users file', async () => {
    await expect(reloadingUsers({ read: async () => 'nope', source: 'secret x', log: () => undefined })).rejects.toThrow('secret x is not JSON');
  });
});

describe('the gateway config', () => {
  const base = Object.fromEntries(envNamesForRoles(GATEWAY_ROLES).map((name) => [name, name === ENV.logLevel ? 'info' : 'x']));

  it('reads the users secret and the mechanisms', () => {
    expect(loadGatewayConfig({ ...base, [GATEWAY_ENV.usersSecretArn]: 'arn:s', [GATEWAY_ENV.saslMechanisms]: 'SCRAM-SHA-512, PLAIN' }).sasl).toEqual({ usersSecretArn: 'arn:s', mechanisms: ['SCRAM-SHA-512', 'PLAIN'] });
    expect(loadGatewayConfig(base).sasl).toBeUndefined();
  });

  it('refuses an unknown mechanism, and mechanisms without users', () => {
    expect(() => loadGatewayConfig({ ...base, [GATEWAY_ENV.usersSecretArn]: 'arn:s', [GATEWAY_ENV.saslMechanisms]: 'GSSAPI' })).toThrow(`${GATEWAY_ENV.saslMechanisms} must list`);
    expect(() => loadGatewayConfig({ ...base, [GATEWAY_ENV.saslMechanisms]: 'PLAIN' })).toThrow(`needs ${GATEWAY_ENV.usersSecretArn}`);
  });

  it('aggregates produce requests for 5 ms or 4 MiB unless told otherwise, and refuses settings out of range', () => {
    expect(loadGatewayConfig(base).aggregation).toEqual({ lingerMs: 5, maxBytes: 4 * 1024 * 1024 });
    expect(loadGatewayConfig({ ...base, [GATEWAY_ENV.lingerMs]: '0', [GATEWAY_ENV.lingerMaxBytes]: String(8 * 1024 * 1024) }).aggregation).toEqual({ lingerMs: 0, maxBytes: 8 * 1024 * 1024 });
    expect(() => loadGatewayConfig({ ...base, [GATEWAY_ENV.lingerMs]: '2.5' })).toThrow(`${GATEWAY_ENV.lingerMs} must be a whole number from 0 to 1000, got '2.5'`);
    expect(() => loadGatewayConfig({ ...base, [GATEWAY_ENV.lingerMaxBytes]: '1024' })).toThrow(`${GATEWAY_ENV.lingerMaxBytes} must be a whole number from 4194304`);
  });
});
