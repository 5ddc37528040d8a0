/**
 * The SASL state of one connection (Kafka's SaslServerAuthenticator): with
 * users configured, a connection is unauthenticated until a handshake names
 * an enabled mechanism and the exchange that follows succeeds; then its
 * principal is `User:<name>`. Without users it is `User:ANONYMOUS` from the
 * start and SASL requests are refused with ILLEGAL_SASL_STATE, as Kafka
 * answers them on a PLAINTEXT listener.
 */
import { plainServer } from './plain-server.js';
import type { SaslServer, SaslStep } from './sasl-server.js';
import { SASL_MECHANISMS, isSaslMechanism, type SaslMechanism } from './scram-credential.js';
import { scramServer, type ScramServerOptions } from './scram-server.js';
import type { UserStore } from './user-store.js';

export interface SaslOptions extends ScramServerOptions {
  readonly users: UserStore;
  /** The mechanisms a client may choose; all of SASL_MECHANISMS unless given. */
  readonly mechanisms?: readonly SaslMechanism[];
}

export const ANONYMOUS = 'User:ANONYMOUS';

export type HandshakeOutcome =
  | { readonly kind: 'started' }
  | { readonly kind: 'unsupported'; readonly message: string }
  | { readonly kind: 'illegal'; readonly message: string };

export class SaslSession {
  /** The authenticated principal; ANONYMOUS when the gateway has no users, undefined until authenticated when it has. */
  principal: string | undefined;
  /** After a v0 handshake the client sends raw SASL tokens, not SaslAuthenticate requests. */
  rawTokens = false;
  /** Set by a refusal: the answer is the connection's last (the reason is logged). */
  closing: string | undefined;
  private server: SaslServer | undefined;
  readonly mechanisms: readonly SaslMechanism[];

  constructor(private readonly options: SaslOptions | undefined) {
    this.principal = options === undefined ? ANONYMOUS : undefined;
    this.mechanisms = options?.mechanisms ?? SASL_MECHANISMS;
  }

  get enabled(): boolean {
    return this.options !== undefined;
  }

  /** A handshake chose a mechanism and the exchange has not ended. */
  get inExchange(): boolean {
    return this.server !== undefined && !this.authenticated;
  }

  get authenticated(): boolean {
    return this.principal !== undefined;
  }

  handshake(mechanism: string, version: number): HandshakeOutcome {
    if (this.options === undefined) return { kind: 'illegal', message: 'SASL is not enabled on this gateway (no users are configured)' };
    if (this.authenticated || this.server !== undefined) return { kind: 'illegal', message: 'Unexpected SaslHandshake: this connection has already chosen its mechanism' };
    if (!isSaslMechanism(mechanism) || !this.mechanisms.includes(mechanism)) {
      return { kind: 'unsupported', message: `Unsupported SASL mechanism ${mechanism}; enabled: ${this.mechanisms.join(', ')}` };
    }
    this.server = mechanism === 'PLAIN' ? plainServer(this.options.users) : scramServer(mechanism, this.options.users, this.options);
    this.rawTokens = version === 0;
    return { kind: 'started' };
  }

  /** The next step of the exchange the handshake started; failed when none was started. */
  async authenticate(token: Buffer): Promise<SaslStep> {
    if (this.options === undefined) return { kind: 'failed', message: 'SASL is not enabled on this gateway (no users are configured)' };
    if (this.server === undefined || this.authenticated) return { kind: 'failed', message: 'Unexpected SaslAuthenticate: send SaslHandshake first' };
    const step = await this.server.step(token);
    if (step.kind === 'done') {
      this.principal = `User:${step.user}`;
      this.rawTokens = false;
    }
    return step;
  }
}
