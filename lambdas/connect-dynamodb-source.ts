/** A DynamoDB Streams source connector's function (docs/CONNECT.md): a table's stream records in, change records produced to its topic. */
import { dynamoDbSourceFunctionFromEnv } from '../lib/connect/connector-function.js';

export const handler = dynamoDbSourceFunctionFromEnv();
