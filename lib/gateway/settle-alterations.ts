/**
 * AlterConfigs and IncrementalAlterConfigs alike: each resource answered on
 * its own. A resource named twice, a broker, or another type is refused
 * without asking the broker; the topics are altered in requests of at most
 * the broker's topics per config request, a bad topic answered alone.
 */
import type { KafkalessError } from '../errors.js';
import { MAX_CONFIG_TOPICS_PER_REQUEST } from '../protocol/admin-config-requests.js';
import { alterationRefusal, duplicateRefusal, repeatedResources, resourceKey, type ConfigResource } from './config-resources.js';
import { chunksOf, sameTopic, settleChecked, type Settled } from './settle-each.js';
import { errorFields } from './wire-answers.js';

export interface AlterationAnswer {
  readonly resourceType: number;
  readonly resourceName: string;
  readonly errorCode: number;
  readonly errorMessage: string | null;
}

export async function settleAlterations<R extends ConfigResource, A extends { readonly topic: string }>(
  resources: readonly R[],
  ask: (resource: R) => A | KafkalessError,
  run: (asks: readonly A[]) => Promise<readonly unknown[]>,
): Promise<AlterationAnswer[]> {
  const twice = repeatedResources(resources);
  const asks = resources.map((r) => (twice.has(resourceKey(r)) ? duplicateRefusal(r) : (alterationRefusal(r) ?? ask(r))));
  const settled: Settled<unknown>[] = [];
  for (const chunk of chunksOf(asks, MAX_CONFIG_TOPICS_PER_REQUEST)) {
    settled.push(
      ...(await settleChecked(
        chunk,
        (a) => (isAsk(a) ? undefined : a),
        (a, context) => isAsk(a) && sameTopic(a.topic, context),
        (accepted) => run(accepted.filter(isAsk)),
      )),
    );
  }
  return resources.map((r, k) => ({ resourceType: r.resourceType, resourceName: r.resourceName, ...errorFields(settled[k]!) }));
}

function isAsk<A>(a: A | KafkalessError): a is A {
  return !(a instanceof Error);
}
