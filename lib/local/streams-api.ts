/**
 * The few DynamoDB Streams calls the local event source mappings make,
 * against DynamoDB Local, which serves them on its own endpoint (target
 * `DynamoDBStreams_20120810.*`, JSON 1.0) and, started with `-sharedDb`,
 * does not check signatures. The table's stream ARN comes from DescribeTable.
 */
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';

export interface StreamShard {
  readonly ShardId: string;
  readonly ParentShardId?: string;
  readonly SequenceNumberRange?: { readonly StartingSequenceNumber?: string; readonly EndingSequenceNumber?: string };
}

export interface StreamRecordJson {
  readonly eventID?: string;
  readonly eventName?: string;
  readonly dynamodb?: { readonly SequenceNumber?: string } & Record<string, unknown>;
  readonly [key: string]: unknown;
}

export type IteratorType = 'TRIM_HORIZON' | 'LATEST' | 'AT_SEQUENCE_NUMBER' | 'AFTER_SEQUENCE_NUMBER';

/** Any well-formed SigV4 header: DynamoDB Local reads the access key from it and checks nothing more. */
const AUTHORIZATION = 'AWS4-HMAC-SHA256 Credential=kafkaless/20200101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0';

export class LocalStreams {
  constructor(
    private readonly endpoint: string,
    private readonly ddb: DynamoDBClient,
  ) {}

  async streamArn(tableName: string): Promise<string | undefined> {
    const { Table } = await this.ddb.send(new DescribeTableCommand({ TableName: tableName }));
    return Table?.StreamSpecification?.StreamEnabled === true ? Table.LatestStreamArn : undefined;
  }

  async shards(streamArn: string): Promise<StreamShard[]> {
    const shards: StreamShard[] = [];
    let start: string | undefined;
    for (let page = 0; page < 100; page++) {
      const out = (await this.call('DescribeStream', { StreamArn: streamArn, ...(start !== undefined ? { ExclusiveStartShardId: start } : {}) })) as {
        StreamDescription?: { Shards?: StreamShard[]; LastEvaluatedShardId?: string };
      };
      shards.push(...(out.StreamDescription?.Shards ?? []));
      start = out.StreamDescription?.LastEvaluatedShardId;
      if (start === undefined) break;
    }
    return shards;
  }

  async iterator(streamArn: string, shardId: string, type: IteratorType, sequenceNumber?: string): Promise<string | undefined> {
    const out = (await this.call('GetShardIterator', { StreamArn: streamArn, ShardId: shardId, ShardIteratorType: type, ...(sequenceNumber !== undefined ? { SequenceNumber: sequenceNumber } : {}) })) as { ShardIterator?: string };
    return out.ShardIterator;
  }

  /** `next` is undefined once the shard is closed and read; `stale` when the iterator must be made again. */
  async records(iterator: string, limit: number): Promise<{ records: StreamRecordJson[]; next: string | undefined; stale?: boolean }> {
    try {
      const out = (await this.call('GetRecords', { ShardIterator: iterator, Limit: limit })) as { Records?: StreamRecordJson[]; NextShardIterator?: string };
      return { records: out.Records ?? [], next: out.NextShardIterator };
    } catch (err) {
      // DynamoDB Local answers so for an iterator taken while its shard held no record: take another.
      if (err instanceof StreamsError && err.type.endsWith('TrimmedDataAccessException')) return { records: [], next: iterator, stale: true };
      throw err;
    }
  }

  private async call(operation: string, body: object): Promise<unknown> {
    const response = await fetch(this.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `DynamoDBStreams_20120810.${operation}`, authorization: AUTHORIZATION },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) {
      let type = 'UnknownError';
      try {
        type = String((JSON.parse(text) as { __type?: unknown }).__type ?? type);
      } catch {
        // Not JSON: the status says enough.
      }
      throw new StreamsError(type, `DynamoDB Streams ${operation} failed (${response.status}): ${text.slice(0, 500)}`);
    }
    return JSON.parse(text) as unknown;
  }
}

export class StreamsError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = 'StreamsError';
  }
}
