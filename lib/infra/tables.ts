/**
 * The DynamoDB tables, one per entry of TABLES in names.ts.
 */
import type { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import type { Attribute } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { TABLES, tableConstructId } from '../names.js';
import type { KeyAttribute, TableRole } from '../names.js';

export interface TableOptions {
  readonly removalPolicy: RemovalPolicy;
  readonly deletionProtection: boolean;
  readonly encryptionKey?: IKey;
}

function attribute(key: KeyAttribute): Attribute {
  return { name: key.name, type: key.type === 'S' ? AttributeType.STRING : AttributeType.NUMBER };
}

/**
 * On-demand capacity (traffic follows producers and consumers, and idle
 * costs nothing), point-in-time recovery, TTL where the schema names an
 * expiry attribute, encryption at rest with an AWS-owned key or the given one.
 */
export function createTable(scope: Construct, role: TableRole, options: TableOptions): Table {
  const schema = TABLES[role];
  const key = options.encryptionKey;
  return new Table(scope, tableConstructId(role), {
    partitionKey: attribute(schema.partitionKey),
    ...(schema.sortKey === undefined ? {} : { sortKey: attribute(schema.sortKey) }),
    ...(schema.ttlAttribute === undefined ? {} : { timeToLiveAttribute: schema.ttlAttribute }),
    billingMode: BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    encryption: key === undefined ? TableEncryption.DEFAULT : TableEncryption.CUSTOMER_MANAGED,
    ...(key === undefined ? {} : { encryptionKey: key }),
    deletionProtection: options.deletionProtection,
    removalPolicy: options.removalPolicy,
  });
}
