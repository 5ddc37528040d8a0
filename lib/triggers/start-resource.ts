/**
 * The trigger as the handler of the stack's `Custom::KafkalessSubscriptions`
 * resource: on its Create and Update (a subscription added or changed by a
 * deploy) it wakes the subscribed partitions (wake-subscriptions.ts), so a
 * TRIM_HORIZON or AT_TIMESTAMP subscription starts on the records already
 * there; on Delete it does nothing. It always answers SUCCESS: a wake that
 * failed (logged) leaves those records to the next append, and must not roll
 * a deploy back (nor block its rollback). The answer is PUT to
 * CloudFormation's presigned ResponseURL, as cfn-response does.
 */
import { request } from 'node:https';

export interface CustomResourceEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly ResponseURL: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly PhysicalResourceId?: string;
}

export function isCustomResourceEvent(event: unknown): event is CustomResourceEvent {
  const e = event as Partial<CustomResourceEvent> | null;
  return typeof e === 'object' && e !== null && typeof e.ResponseURL === 'string' && (e.RequestType === 'Create' || e.RequestType === 'Update' || e.RequestType === 'Delete');
}

/** CloudFormation's response document. */
export function customResourceResponse(event: CustomResourceEvent): string {
  return JSON.stringify({
    Status: 'SUCCESS',
    Reason: 'see the trigger function\'s log',
    PhysicalResourceId: event.PhysicalResourceId ?? `${event.LogicalResourceId}-subscriptions`,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
  });
}

export type ResponsePut = (url: string, body: string) => Promise<void>;

export async function answerCustomResource(event: CustomResourceEvent, wake: () => Promise<unknown>, put: ResponsePut, log: (message: string, fields: Record<string, unknown>) => void): Promise<void> {
  if (event.RequestType !== 'Delete') {
    try {
      await wake();
    } catch (err) {
      log('waking the subscribed partitions failed; they start at their next append', { error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    }
  }
  await put(event.ResponseURL, customResourceResponse(event));
}

/** PUT with an empty content type: the presigned URL signs none. */
export const httpsPut: ResponsePut = (url, body) =>
  new Promise((resolve, reject) => {
    const req = request(url, { method: 'PUT', headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => ((res.statusCode ?? 500) < 300 ? resolve() : reject(new Error(`CloudFormation response PUT answered ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
