/**
 * The trigger as the subscriptions custom resource's handler: Create and
 * Update wake the subscribed partitions, Delete does not; the answer is
 * always SUCCESS (a failed wake is logged: the records wait for the next
 * append, a deploy is not rolled back for it), PUT to the ResponseURL.
 */
import { describe, expect, it } from 'vitest';
import { answerCustomResource, isCustomResourceEvent, type CustomResourceEvent } from '../../lib/triggers/start-resource.js';
import { isWakeEvent, WAKE_EVENT } from '../../lib/triggers/wake-subscriptions.js';

const event = (requestType: CustomResourceEvent['RequestType']): CustomResourceEvent => ({
  RequestType: requestType,
  ResponseURL: 'https://cloudformation-custom-resource-response.s3.amazonaws.com/presigned',
  StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/Orders/1',
  RequestId: 'req-1',
  LogicalResourceId: 'KafkalessTriggerStart',
  ...(requestType === 'Create' ? {} : { PhysicalResourceId: 'KafkalessTriggerStart-subscriptions' }),
});

async function answer(e: CustomResourceEvent, wake: () => Promise<unknown>): Promise<{ wakes: number; puts: { url: string; body: Record<string, unknown> }[]; logged: string[] }> {
  let wakes = 0;
  const puts: { url: string; body: Record<string, unknown> }[] = [];
  const logged: string[] = [];
  await answerCustomResource(
    e,
    async () => {
      wakes++;
      return wake();
    },
    async (url, body) => {
      puts.push({ url, body: JSON.parse(body) as Record<string, unknown> });
    },
    (message) => logged.push(message),
  );
  return { wakes, puts, logged };
}

describe('the subscriptions custom resource', () => {
  it('wakes the subscribed partitions on Create and Update, and answers SUCCESS with a stable physical id', async () => {
    for (const type of ['Create', 'Update'] as const) {
      const { wakes, puts } = await answer(event(type), async () => 3);
      expect(wakes).toBe(1);
      expect(puts).toEqual([
        {
          url: event(type).ResponseURL,
          body: { Status: 'SUCCESS', Reason: "see the trigger function's log", PhysicalResourceId: 'KafkalessTriggerStart-subscriptions', StackId: event(type).StackId, RequestId: 'req-1', LogicalResourceId: 'KafkalessTriggerStart' },
        },
      ]);
    }
  });

  it('does nothing on Delete but answer', async () => {
    const { wakes, puts } = await answer(event('Delete'), async () => 0);
    expect(wakes).toBe(0);
    expect(puts.map((p) => p.body.Status)).toEqual(['SUCCESS']);
  });

  it('answers SUCCESS when the wake failed, and logs it', async () => {
    const { puts, logged } = await answer(event('Update'), async () => {
      throw new Error('throttled');
    });
    expect(puts.map((p) => p.body.Status)).toEqual(['SUCCESS']);
    expect(logged).toEqual(['waking the subscribed partitions failed; they start at their next append']);
  });

  it('tells its events from stream batches and wake events', () => {
    expect(isCustomResourceEvent(event('Create'))).toBe(true);
    expect(isCustomResourceEvent({ Records: [] })).toBe(false);
    expect(isCustomResourceEvent(WAKE_EVENT)).toBe(false);
    expect(isWakeEvent(WAKE_EVENT)).toBe(true);
    expect(isWakeEvent({ Records: [] })).toBe(false);
  });
});
