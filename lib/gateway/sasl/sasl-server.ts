/** One SASL exchange on the server side: tokens in, tokens out, until it succeeds or fails. */
export type SaslStep =
  /** Send these bytes and wait for the client's next token. */
  | { readonly kind: 'challenge'; readonly bytes: Buffer }
  /** Authenticated as `user`; send these last bytes. */
  | { readonly kind: 'done'; readonly bytes: Buffer; readonly user: string }
  | { readonly kind: 'failed'; readonly message: string };

export interface SaslServer {
  step(token: Buffer): Promise<SaslStep>;
}

export const failed = (message: string): SaslStep => ({ kind: 'failed', message });
