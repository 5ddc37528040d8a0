/**
 * The CDK app (cdk.json runs it): the orders stack, checked by cdk-nag's
 * AwsSolutions rules. A finding nobody acknowledged fails synthesis.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { OrdersStack } from '../lib/orders-stack.js';

const app = new App();
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
new OrdersStack(app, 'Orders');
app.synth();
