/**
 * The pure parts of Connect: config parsing with Kafka Connect's names and
 * defaults, converters, flush cutting, partitioner paths and object names.
 */
import { describe, expect, it } from 'vitest';
import { parseConnectorConfig, taskOf } from '../../lib/connect/config/connector-config.js';
import { convert, RecordConversionError } from '../../lib/connect/converters.js';
import { cutFlushes } from '../../lib/connect/s3-sink/chunks.js';
import { objectKey } from '../../lib/connect/s3-sink/object-key.js';
import { encodePartition, formatTime } from '../../lib/connect/s3-sink/partitioner.js';
import { itemKeyJson, unmarshallItem } from '../../lib/connect/cdc/change-record.js';
import { objectRecords } from '../../lib/connect/s3-source/object-records.js';
import { KafkalessError } from '../../lib/errors.js';

const base = { name: 'lake', 'connector.class': 'S3Sink', topics: 'orders, payments', 's3.bucket.name': 'b', 'flush.size': '100' };

describe('connector config', () => {
  it("takes Kafka Connect's names and defaults: one task, string keys, JSON values, tolerance none, json format, the default partitioner", () => {
    const config = parseConnectorConfig(base);
    expect(config).toMatchObject({
      name: 'lake',
      connectorClass: 'S3Sink',
      topics: ['orders', 'payments'],
      tasksMax: 1,
      keyConverter: { kind: 'string', schemasEnable: false },
      valueConverter: { kind: 'json', schemasEnable: false },
      errorsTolerance: 'none',
      format: 'json',
      flushSize: 100,
      rotateIntervalMs: -1,
      topicsDir: 'topics',
      partitioner: { kind: 'default' },
      offsetZeroPadWidth: 10,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('refuses a time partitioner without path.format and partition.duration.ms, and a field one on string values', () => {
    const fail = (extra: Record<string, string>): string => {
      try {
        parseConnectorConfig({ ...base, ...extra });
      } catch (err) {
        expect(err).toBeInstanceOf(KafkalessError);
        expect((err as KafkalessError).code).toBe('InvalidConfig');
        return (err as Error).message;
      }
      throw new Error('accepted');
    };
    expect(fail({ 'partitioner.class': 'time' })).toContain('path.format is required with the time-based partitioner\n- partition.duration.ms is required');
    expect(fail({ 'partitioner.class': 'field', 'partition.field.name': 'a', 'value.converter': 'string' })).toContain('value.converter must be json');
    expect(fail({ 'errors.deadletterqueue.topic.name': 'dlt' })).toContain('needs errors.tolerance=all');
    expect(fail({ 'timestamp.extractor': 'Wallclock' })).toContain("timestamp.extractor must be one of Record, RecordField; got 'Wallclock'");
  });

  it('spreads partitions over tasks.max tasks', () => {
    const config = parseConnectorConfig({ ...base, 'tasks.max': 3 });
    expect([0, 1, 2, 3, 4].map((p) => taskOf(config, p))).toEqual([0, 1, 2, 0, 1]);
  });
});

describe('converters', () => {
  it('json parses (unwrapping the schema envelope when asked), string decodes UTF-8, bytes keeps the bytes; a bad value is a RecordConversionError', () => {
    expect(convert({ kind: 'json', schemasEnable: false }, Buffer.from('{"a":1}'), 'VALUE_CONVERTER')).toEqual({ a: 1 });
    expect(convert({ kind: 'json', schemasEnable: true }, Buffer.from('{"schema":{},"payload":[1]}'), 'VALUE_CONVERTER')).toEqual([1]);
    expect(convert({ kind: 'string', schemasEnable: false }, Buffer.from('hé'), 'KEY_CONVERTER')).toBe('hé');
    expect(convert({ kind: 'bytes', schemasEnable: false }, Buffer.from([0xff]), 'VALUE_CONVERTER')).toEqual(Buffer.from([0xff]));
    expect(() => convert({ kind: 'json', schemasEnable: false }, Buffer.from('nope'), 'VALUE_CONVERTER')).toThrow(RecordConversionError);
    expect(() => convert({ kind: 'string', schemasEnable: false }, Buffer.from([0xff]), 'VALUE_CONVERTER')).toThrow(RecordConversionError);
  });
});

describe('flush cutting', () => {
  const records = (offsets: number[], time = (o: number) => o): { offset: number; time: number | undefined }[] => offsets.map((offset) => ({ offset, time: time(offset) }));

  it('closes a flush at flush.size and holds the open one at the log end', () => {
    const cut = cutFlushes(records([5, 6, 7, 8, 9]), { flushSize: 2, rotateIntervalMs: -1, logEndOffset: 10 });
    expect(cut.flushes.map((f) => [f.records.map((r) => r.offset), f.endOffset])).toEqual([[[5, 6], 7], [[7, 8], 9]]);
    expect(cut.holdFrom).toBe(9);
  });

  it('holds the open one for the next batch when the batch ends before the log does, and writes it when it is all the batch holds', () => {
    const cut = cutFlushes(records([5, 6, 7]), { flushSize: 2, rotateIntervalMs: -1, logEndOffset: 100 });
    expect(cut.flushes.map((f) => f.endOffset)).toEqual([7]);
    expect(cut.holdFrom).toBe(7);
    const short = cutFlushes(records([5]), { flushSize: 2, rotateIntervalMs: -1, logEndOffset: 100 });
    expect(short).toEqual({ flushes: [{ records: [{ offset: 5, time: 5 }], endOffset: 6 }] });
  });

  it('rotates when a record is rotate.interval.ms past the first of its flush; records not written count toward no flush and hold nothing', () => {
    const cut = cutFlushes(records([0, 1, 2, 3], (o) => o * 600), { flushSize: 10, rotateIntervalMs: 1000, logEndOffset: 4 });
    expect(cut.flushes.map((f) => f.records.map((r) => r.offset))).toEqual([[0, 1]]);
    expect(cut.holdFrom).toBe(2);
    const skipped = cutFlushes([{ offset: 0, time: undefined }, { offset: 1, time: undefined }], { flushSize: 10, rotateIntervalMs: -1, logEndOffset: 2 });
    expect(skipped).toEqual({ flushes: [{ records: [], endOffset: 2 }] });
  });
});

describe('partitioner paths and object names', () => {
  it("formats Joda-style path.format in UTC, quotes as literals", () => {
    expect(formatTime("'year'=YYYY/'month'=MM/'day'=dd/'hour'=HH/mm-ss.SSS 'it''s'", Date.UTC(2026, 0, 2, 3, 4, 5, 6))).toBe("year=2026/month=01/day=02/hour=03/04-05.006 it's");
  });

  it('names fields and partitions, and objects as Confluent does', () => {
    const partitioner = { kind: 'field' as const, timestampExtractor: 'Record' as const, fieldNames: ['region', 'shop.id'] };
    expect(encodePartition(partitioner, { partition: 3, timestamp: 0, value: { region: 'eu west', shop: { id: 7 } } })).toBe('region=eu%20west/shop.id=7');
    expect(() => encodePartition(partitioner, { partition: 3, timestamp: 0, value: { region: 'eu' } })).toThrow(RecordConversionError);
    expect(objectKey({ topicsDir: 'topics', topic: 'orders', encodedPartition: 'partition=3', partition: 3, startOffset: 42, padWidth: 10, extension: '.json' })).toBe('topics/orders/partition=3/orders+3+0000000042.json');
  });
});

describe('change records and object records', () => {
  it('unmarshall DynamoDB attribute values to plain JSON, numbers exact or as text, and key items by sorted names', () => {
    expect(unmarshallItem({ n: { N: '42' }, big: { N: '12345678901234567890' }, d: { N: '1.50' }, s: { S: 'x' }, b: { B: 'AQI=' }, ok: { BOOL: true }, none: { NULL: true }, ss: { SS: ['a', 'b'] }, ns: { NS: ['1', '2'] }, l: { L: [{ S: 'y' }] }, m: { M: { k: { N: '-0' } } } })).toEqual({
      n: 42, big: '12345678901234567890', d: '1.50', s: 'x', b: 'AQI=', ok: true, none: null, ss: ['a', 'b'], ns: [1, 2], l: ['y'], m: { k: '-0' },
    });
    expect(itemKeyJson({ sk: 2, pk: 'a' })).toBe('{"pk":"a","sk":2}');
  });

  it('split objects into lines (LF or CRLF, a last line without one), JSON lines, or one whole record', () => {
    expect(objectRecords('lines', Buffer.from('a\r\nb\n\nc')).map((r) => [r.index, r.value.toString()])).toEqual([[0, 'a'], [1, 'b'], [2, ''], [3, 'c']]);
    expect(objectRecords('json', Buffer.from('{"a":1}\n\n[2]\n')).map((r) => r.value.toString())).toEqual(['{"a":1}', '[2]']);
    expect(() => objectRecords('json', Buffer.from('{"a":1}\nnope'))).toThrow(/line 2 is not JSON/);
    expect(objectRecords('object', Buffer.from('a\nb'))).toEqual([{ index: 0, value: Buffer.from('a\nb') }]);
  });
});
