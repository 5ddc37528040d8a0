/** What every API handler is given: the client of the stack the console looks at, and one producer shared by its requests. */
import type { Kafkaless } from '../client/kafkaless.js';
import type { Producer } from '../client/producer/producer.js';

export interface ConsoleContext {
  readonly kafkaless: Kafkaless;
  /** The console's producer, made on first use and disconnected when the console closes. */
  producer(): Producer;
}
