import { describe, expect, it } from 'vitest';
import type { ConsumerRecord } from '../../lib/client/consumer/consumer.js';
import { KafkalessError } from '../../lib/errors.js';
import { CliUsageError } from '../../bin/cli/connect.js';
import { lineReaderConfig, parseLine } from '../../bin/cli/line-reader.js';
import { Acknowledged } from '../../bin/cli/produce-report.js';
import { producerSettings } from '../../bin/cli/producer-properties.js';
import { parseProperties } from '../../bin/cli/properties.js';
import { formatRecord, formatterConfig } from '../../bin/cli/record-formatter.js';
import { chooseStartOffset } from '../../bin/cli/start-offset.js';

const props = (...pairs: string[]) => parseProperties(pairs, '--property');

describe("the console producer's line reader (Kafka's LineMessageReader)", () => {
  it('takes the whole line as the value by default', () => {
    expect(parseLine('a\tb', lineReaderConfig(props()), 1)).toEqual({ key: null, value: 'a\tb' });
  });

  it('splits key and value at key.separator, tab by default', () => {
    expect(parseLine('k\tv\tw', lineReaderConfig(props('parse.key=true')), 1)).toEqual({ key: 'k', value: 'v\tw' });
    expect(parseLine('k:v', lineReaderConfig(props('parse.key=true', 'key.separator=:')), 1)).toEqual({ key: 'k', value: 'v' });
  });

  it('reads headers before headers.delimiter, pairs split by headers.separator and headers.key.separator', () => {
    const config = lineReaderConfig(props('parse.headers=true', 'parse.key=true', 'key.separator=:'));
    expect(parseLine('h1:v1,h2:v2,h1:v3\tk:v', config, 1)).toEqual({ key: 'k', value: 'v', headers: { h1: ['v1', 'v3'], h2: ['v2'] } });
    const custom = lineReaderConfig(props('parse.headers=true', 'headers.delimiter=|', 'headers.separator=;', 'headers.key.separator=='));
    expect(parseLine('a=1;b=2|value', custom, 1)).toEqual({ key: null, value: 'value', headers: { a: ['1'], b: ['2'] } });
  });

  it('turns a key, value or header value equal to null.marker into null (a value of null is a tombstone)', () => {
    const config = lineReaderConfig(props('parse.key=true', 'key.separator=:', 'parse.headers=true', 'null.marker=<null>'));
    expect(parseLine('h:<null>\tk:<null>', config, 1)).toEqual({ key: 'k', value: null, headers: { h: [null] } });
    expect(parseLine('<null>\t<null>:v', config, 1)).toEqual({ key: null, value: 'v', headers: {} });
  });

  it('refuses a line without the separator, naming the line, unless ignore.error=true', () => {
    const strict = lineReaderConfig(props('parse.key=true', 'key.separator=:'));
    const err = (() => {
      try {
        parseLine('no separator', strict, 7);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(KafkalessError);
    expect((err as KafkalessError).message).toMatch(/No key separator found on line 7/);
    expect(parseLine('no separator', lineReaderConfig(props('parse.key=true', 'key.separator=:', 'ignore.error=true')), 7)).toEqual({ key: null, value: 'no separator' });
  });

  it('refuses unknown properties and bad booleans as usage errors', () => {
    expect(() => lineReaderConfig(props('parse.keys=true'))).toThrow(CliUsageError);
    expect(() => lineReaderConfig(props('parse.key=yes'))).toThrow(CliUsageError);
  });

  it('reads backslash escapes in property values', () => {
    expect(lineReaderConfig(props('key.separator=\\t')).keySeparator).toBe('\t');
  });
});

describe("the console producer's producer configs", () => {
  it("defaults to Kafka's console producer (linger.ms 1000, batch.size 16384, acks all)", () => {
    expect(producerSettings([]).config).toEqual({ acks: -1, 'linger.ms': 1000, 'batch.size': 16384 });
  });

  it('lets later layers win: file, then --producer-property, then explicit flags', () => {
    const file = new Map([['linger.ms', '5'], ['batch.size', '100'], ['bootstrap.servers', 'x:9092']]);
    const cli = new Map([['linger.ms', '7'], ['compression.type', 'gzip']]);
    const flags = new Map([['acks', '1']]);
    const settings = producerSettings([file, cli, flags]);
    expect(settings.config).toEqual({ acks: 1, 'linger.ms': 7, 'batch.size': 100, 'compression.type': 'gzip' });
    expect(settings.ignored).toEqual(['bootstrap.servers']);
  });

  it('refuses an unknown config or a bad value as a usage error', () => {
    expect(() => producerSettings([new Map([['lingerms', '5']])])).toThrow(CliUsageError);
    expect(() => producerSettings([new Map([['linger.ms', 'soon']])])).toThrow(CliUsageError);
    expect(() => producerSettings([new Map([['acks', '2']])])).toThrow(CliUsageError);
  });
});

const record: ConsumerRecord = {
  topic: 't',
  partition: 0,
  offset: 5,
  timestamp: 1_700_000_000_000,
  key: Buffer.from('key'),
  value: Buffer.from('value'),
  headers: [
    { key: 'h1', value: Buffer.from('v1') },
    { key: 'h2', value: null },
  ],
};

describe("the console consumer's formatter (Kafka's DefaultMessageFormatter)", () => {
  it('prints the value alone by default', () => {
    expect(formatRecord(record, formatterConfig(props(), {}, false))).toBe('value\n');
  });

  it("prints the fields asked for in Kafka's order and format", () => {
    const config = formatterConfig(props('print.timestamp=true', 'print.partition=true', 'print.offset=true', 'print.key=true'), {}, false);
    expect(formatRecord(record, config)).toBe('CreateTime:1700000000000\tPartition:0\tOffset:5\tkey\tvalue\n');
    expect(formatRecord(record, config, 'LogAppendTime')).toMatch(/^LogAppendTime:1700000000000\t/);
  });

  it('prints headers, separators and null literal as configured', () => {
    const config = formatterConfig(props('print.headers=true', 'print.key=true', 'key.separator= | ', 'headers.separator=;', 'null.literal=NULL', 'line.separator=\\n--\\n'), {}, false);
    expect(formatRecord({ ...record, key: null }, config)).toBe('h1:v1;h2:NULL | NULL | value\n--\n');
    expect(formatRecord({ ...record, headers: [] }, config)).toMatch(/^NO_HEADERS \| key/);
    expect(formatRecord(record, formatterConfig(props('print.value=false', 'print.key=true'), {}, false))).toBe('key\n');
  });

  it('keeps --print-key and --print-offset as aliases, and --formatter json prints one object per line', () => {
    expect(formatRecord(record, formatterConfig(props(), { printKey: true, printOffset: true }, false))).toBe('Partition:0\tOffset:5\tkey\tvalue\n');
    const json = formatRecord(record, formatterConfig(props(), { formatter: 'json' }, false));
    expect(JSON.parse(json)).toEqual({ topic: 't', partition: 0, offset: 5, timestamp: 1_700_000_000_000, key: 'key', value: 'value', headers: { h1: 'v1', h2: null } });
    expect(() => formatterConfig(props(), { formatter: 'xml' }, false)).toThrow(CliUsageError);
    expect(() => formatterConfig(props('print.everything=true'), {}, false)).toThrow(CliUsageError);
  });
});

describe('consume --offset outside the partition', () => {
  it('starts at the offset asked for when the partition holds it or it is the end', () => {
    expect(chooseStartOffset(3, 0, 10, 'latest', 'partition 0')).toEqual({ offset: 3 });
    expect(chooseStartOffset(10, 0, 10, 'latest', 'partition 0')).toEqual({ offset: 10 });
  });

  it('says where it starts instead when the offset is past the end or already deleted', () => {
    expect(chooseStartOffset(900, 0, 500, 'latest', 'partition 0')).toEqual({
      offset: 500,
      note: 'offset 900 is past the end of partition 0 (high watermark 500); auto.offset.reset=latest: waiting for new records from 500',
    });
    expect(chooseStartOffset(900, 20, 500, 'earliest', 'partition 0').offset).toBe(20);
    expect(chooseStartOffset(5, 20, 500, 'earliest', 'partition 0').note).toMatch(/offset 5 is before the start of partition 0 \(log start offset 20/);
  });
});

describe('the report of a produce run that failed part-way', () => {
  it('names how many records were committed and the last offset of each partition, or that acks=0 knows none', () => {
    const acked = new Acknowledged();
    for (const [partition, offset] of [[1, 7], [0, 3], [1, 8]] as const) acked.add({ topic: 't', partition, offset, timestamp: 0 });
    expect(acked.describe(5, -1)).toBe('Committed 3 of 5 records read before the error (partition 0 up to offset 3, partition 1 up to offset 8).');
    const unacked = new Acknowledged();
    unacked.add({ topic: 't', partition: 0, offset: -1, timestamp: 0 });
    expect(unacked.describe(2, 0)).toBe('Sent 1 of 2 records read before the error (acks=0: none acknowledged, offsets unknown).');
  });
});
