/**
 * SQS and SNS clients, for the subscriptions' on-failure destinations only:
 * imported dynamically by the trigger when a subscription has one, so no
 * other function (and no trigger without one) loads these SDKs. Endpoints
 * follow the SDK's own variables (`AWS_ENDPOINT_URL_SQS`, `AWS_ENDPOINT_URL_SNS`).
 */
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { common, type AwsClientOptions } from './clients.js';
import type { MessageClients } from '../triggers/message-destination.js';

export function createMessageClients(needs: { readonly sqs: boolean; readonly sns: boolean }, options: AwsClientOptions = {}): MessageClients {
  return {
    ...(needs.sqs ? { sqs: new SQSClient(common(options, undefined)) } : {}),
    ...(needs.sns ? { sns: new SNSClient(common(options, undefined)) } : {}),
  };
}
