/**
 * `Kafkaless.connect` props: a connector's Kafka Connect config (validated
 * at synthesis by the same parser the function runs, so a bad config fails
 * `cdk synth` with every problem listed), and the AWS resources it needs.
 */
import type { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { RawConnectorConfig } from '../connect/config/connector-config.js';

export type { RawConnectorConfig } from '../connect/config/connector-config.js';

export interface ConnectorProps {
  /**
   * The connector's config, as Kafka Connect's REST API takes it:
   * `connector.class` (`S3Sink` or `io.confluent.connect.s3.S3SinkConnector`),
   * `topics` or `topics.regex`, `tasks.max`, converters, `errors.*`, and the
   * connector's own settings (docs/CONNECT.md). `name` is the connector's name.
   */
  readonly config: RawConnectorConfig;
  /** S3 sink: the bucket it writes; its name is the config's `s3.bucket.name`, and the function may write it. */
  readonly bucket?: IBucket;
  /** DynamoDB source: the table whose stream it reads (the table must have one); its name is the config's `dynamodb.table.name`. */
  readonly table?: ITable;
  /**
   * @default 1024
   */
  readonly memorySizeMb?: number;
  /**
   * One invocation's limit (one batch of one partition).
   * @default 60 seconds
   */
  readonly timeout?: Duration;
}
