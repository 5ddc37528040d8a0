/**
 * AWS list prices the bench's cost tables and the web console's cost
 * estimate use: us-east-1, on-demand, no free tier, no discounts. Dated: prices change, so every table that uses them prints
 * this date and where each figure was checked.
 */

/** When these prices were last checked. */
export const PRICES_AS_OF = '2026-11-24';
export const PRICES_REGION = 'us-east-1';

export interface Price {
  readonly usd: number;
  /** What one `usd` buys. */
  readonly per: string;
  /** Where the figure was checked, in words. */
  readonly source: string;
  /** False when it could not be confirmed on PRICES_AS_OF: "as listed, unverified". */
  readonly verified: boolean;
}

export const AWS_PRICES = {
  s3PutPerRequest: {
    usd: 0.005 / 1000,
    per: 'S3 Standard PUT, COPY, POST or LIST request ($0.005 per 1,000)',
    source: 'the Amazon S3 pricing page (Requests & data retrievals, S3 Standard); the same figure in third-party 2026 S3 pricing guides',
    verified: true,
  },
  s3GetPerRequest: {
    usd: 0.0004 / 1000,
    per: 'S3 Standard GET, SELECT and other request ($0.0004 per 1,000)',
    source: 'the Amazon S3 pricing page (Requests & data retrievals, S3 Standard); the same figure in third-party 2026 S3 pricing guides',
    verified: true,
  },
  s3StoragePerGbMonth: {
    usd: 0.023,
    per: 'GB-month of S3 Standard storage (first 50 TB)',
    source: 'the Amazon S3 pricing page (Storage, S3 Standard); a third-party guide dated March 2026 quotes the same',
    verified: true,
  },
  dynamodbWritePerUnit: {
    usd: 0.625 / 1e6,
    per: 'DynamoDB on-demand write request unit ($0.625 per million; 1 WRU per 1 KB item, 2 per KB in a transaction)',
    source: 'the Amazon DynamoDB on-demand pricing page (after the November 2024 price cut); the DynamoDB Developer Guide, "Capacity management for transactions"',
    verified: true,
  },
  dynamodbReadPerUnit: {
    usd: 0.125 / 1e6,
    per: 'DynamoDB on-demand read request unit ($0.125 per million; strongly consistent read of up to 4 KB = 1 RRU, transactional = 2)',
    source: 'the Amazon DynamoDB on-demand pricing page (after the November 2024 price cut)',
    verified: true,
  },
  lambdaArmPerGbSecond: {
    usd: 0.0000133334,
    per: 'Lambda arm64 GB-second (first 7.5 billion GB-s a month)',
    source: 'the AWS Lambda pricing page (Arm price, first tier)',
    verified: true,
  },
  lambdaPerRequest: {
    usd: 0.2 / 1e6,
    per: 'Lambda request ($0.20 per million)',
    source: 'the AWS Lambda pricing page',
    verified: true,
  },
  fargateArmPerVcpuHour: {
    usd: 0.03238,
    per: 'vCPU-hour of an ECS Fargate task, Linux/ARM (arm64)',
    source: 'the AWS Fargate pricing page as quoted by third-party 2025-2026 pricing guides (Linux/ARM, us-east-1)',
    verified: false,
  },
  fargateArmPerGbHour: {
    usd: 0.00356,
    per: 'GB-hour of ECS Fargate task memory, Linux/ARM (arm64)',
    source: 'the AWS Fargate pricing page as quoted by third-party 2025-2026 pricing guides (Linux/ARM, us-east-1)',
    verified: false,
  },
} as const satisfies Record<string, Price>;

/** Peers' list prices, for list-price arithmetic only (no benchmark of them was run). */
export const PEER_PRICES = {
  kinesisOnDemandInPerGb: {
    usd: 0.08,
    per: 'GB ingested, Kinesis Data Streams on-demand (each record rounded up to 1 KB)',
    source: 'the Amazon Kinesis Data Streams pricing page, on-demand mode',
    verified: false,
  },
  kinesisOnDemandOutPerGb: {
    usd: 0.04,
    per: 'GB retrieved, Kinesis Data Streams on-demand (shared-throughput consumers)',
    source: 'the Amazon Kinesis Data Streams pricing page, on-demand mode',
    verified: false,
  },
  kinesisOnDemandStreamHour: {
    usd: 0.04,
    per: 'stream-hour, Kinesis Data Streams on-demand',
    source: 'the Amazon Kinesis Data Streams pricing page, on-demand mode',
    verified: false,
  },
  mskServerlessInPerGb: {
    usd: 0.1,
    per: 'GB in, MSK Serverless',
    source: 'the Amazon MSK pricing page, MSK Serverless (the same figures in a 2022 published price table)',
    verified: false,
  },
  mskServerlessOutPerGb: {
    usd: 0.05,
    per: 'GB out, MSK Serverless',
    source: 'the Amazon MSK pricing page, MSK Serverless',
    verified: false,
  },
  mskServerlessClusterHour: {
    usd: 0.75,
    per: 'cluster-hour, MSK Serverless',
    source: 'the Amazon MSK pricing page, MSK Serverless',
    verified: false,
  },
  mskServerlessPartitionHour: {
    usd: 0.0015,
    per: 'partition-hour, MSK Serverless',
    source: 'the Amazon MSK pricing page, MSK Serverless',
    verified: false,
  },
} as const satisfies Record<string, Price>;

/** The local stack's (and the CDK construct's) default function memory, in GB, for GB-seconds. */
export const FUNCTION_MEMORY_GB = 1024 / 1024;

/** Hours in a month as AWS bills them. */
export const HOURS_PER_MONTH = 730;

/** Lines naming each price, its date and its source, for the end of a cost table. */
export function priceNotes(): string[] {
  const lines = [`Prices: ${PRICES_REGION}, list, as of ${PRICES_AS_OF}.`];
  for (const p of [...Object.values(AWS_PRICES), ...Object.values(PEER_PRICES)]) {
    const status = p.verified ? 'checked' : `as listed on ${PRICES_AS_OF}, unverified`;
    lines.push(`  $${formatUsd(p.usd)} per ${p.per} — ${p.source} (${status}).`);
  }
  return lines;
}

function formatUsd(usd: number): string {
  return usd >= 0.01 ? usd.toFixed(usd >= 1 ? 2 : 4).replace(/0+$/, '').replace(/\.$/, '') : usd.toPrecision(6).replace(/0+$/, '');
}
