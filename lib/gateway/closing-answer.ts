/**
 * A request the connection must not outlive, as Kafka's authenticator
 * closes it: optionally one last frame (the error answer) is written first.
 * The client's doing, so told at info level.
 */
export class ConnectionRefused extends Error {
  constructor(
    message: string,
    readonly lastFrame?: Buffer,
  ) {
    super(message);
    this.name = 'ConnectionRefused';
  }
}
