import { KafkalessError, type ErrorContext } from '../errors.js';

/** The one error decoding ever throws on bad bytes. */
export function corruptRecord(message: string, context?: ErrorContext, cause?: unknown): KafkalessError {
  const options: { context?: ErrorContext; cause?: unknown } = {};
  if (context !== undefined) options.context = context;
  if (cause !== undefined) options.cause = cause;
  return new KafkalessError('CorruptRecord', message, options);
}

/** Invalid input to the encoder: a record Kafka would reject. */
export function invalidRecord(message: string, context?: ErrorContext): KafkalessError {
  return new KafkalessError('InvalidRecord', message, context === undefined ? {} : { context });
}
