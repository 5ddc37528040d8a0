/**
 * Builds the CDK app: one KafkalessStack, cdk-nag's AwsSolutions checks on,
 * asset metadata on (so each function's template metadata carries
 * `aws:asset:path`, the folder of its bundle in the cloud assembly).
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { DEFAULT_STACK_NAME } from '../names.js';
import type { KafkalessProps } from './kafkaless.js';
import { KafkalessStack } from './stack.js';

/** CDK's context key that writes `aws:asset:path` into resource metadata. */
export const ASSET_METADATA_CONTEXT = 'aws:cdk:enable-asset-metadata';

export interface BuildAppOptions {
  /**
   * Where the cloud assembly is written.
   * @default CDK's own choice: $CDK_OUTDIR when the CLI runs the app, else a temporary folder
   */
  readonly outdir?: string;
  /**
   * @default DEFAULT_STACK_NAME ('Kafkaless')
   */
  readonly stackName?: string;
  /**
   * Run cdk-nag's AwsSolutions checks at synthesis; an unacknowledged error fails it.
   * @default true
   */
  readonly nag?: boolean;
  /**
   * Props of the Kafkaless construct.
   * @default the construct's defaults
   */
  readonly kafkaless?: KafkalessProps;
}

export interface BuiltApp {
  readonly app: App;
  readonly stack: KafkalessStack;
}

export function buildApp(options: BuildAppOptions = {}): BuiltApp {
  const app = new App({
    ...(options.outdir === undefined ? {} : { outdir: options.outdir }),
    context: { [ASSET_METADATA_CONTEXT]: true },
  });
  if (options.nag ?? true) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const stackName = options.stackName ?? DEFAULT_STACK_NAME;
  const stack = new KafkalessStack(app, stackName, {
    stackName,
    ...(options.kafkaless === undefined ? {} : { kafkaless: options.kafkaless }),
  });
  return { app, stack };
}
