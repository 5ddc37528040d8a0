/** The text of the users' Secrets Manager secret (the gateway container's `sasl` users). */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

export function secretReader(secretArn: string, client: SecretsManagerClient = new SecretsManagerClient({})): () => Promise<string> {
  return async () => {
    const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretArn }));
    if (SecretString === undefined) throw new Error(`secret ${secretArn} holds no text: store the users file's JSON as its value`);
    return SecretString;
  };
}
