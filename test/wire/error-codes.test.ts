import { describe, expect, it } from 'vitest';
import { ERROR_CODES, type ErrorCode } from '../../lib/errors.js';
import { KAFKA_ERROR_TABLE } from '../../lib/wire/kafka-error-table.js';
import { kafkaError, kafkaErrorByCode, NO_ERROR, wireErrorCode } from '../../lib/wire/index.js';

describe("Kafka's error table", () => {
  it('has unique names and codes, NONE at 0 and UNKNOWN_SERVER_ERROR at -1', () => {
    expect(new Set(KAFKA_ERROR_TABLE.map((e) => e.name)).size).toBe(KAFKA_ERROR_TABLE.length);
    expect(new Set(KAFKA_ERROR_TABLE.map((e) => e.code)).size).toBe(KAFKA_ERROR_TABLE.length);
    expect(kafkaErrorByCode(NO_ERROR)?.name).toBe('NONE');
    expect(kafkaErrorByCode(-1)?.name).toBe('UNKNOWN_SERVER_ERROR');
  });

  it('knows the retriable ones as Kafka does', () => {
    expect(kafkaError('UNKNOWN_TOPIC_OR_PARTITION')).toMatchObject({ code: 3, retriable: true });
    expect(kafkaError('NotLeaderOrFollower')).toMatchObject({ code: 6, retriable: true });
    expect(kafkaError('TopicAlreadyExists')).toMatchObject({ code: 36, retriable: false });
    expect(kafkaError('CorruptRecord')).toMatchObject({ name: 'CORRUPT_MESSAGE', code: 2 });
  });

  it('gives every code name lib/errors.ts can produce a wire code, the one lib/errors.ts states', () => {
    const names = Object.keys(ERROR_CODES) as ErrorCode[];
    const missing = names.filter((name) => kafkaError(name) === undefined);
    expect(missing).toEqual([]);
    for (const name of names) expect([name, wireErrorCode(name)]).toEqual([name, ERROR_CODES[name].kafkaCode]);
  });
});
