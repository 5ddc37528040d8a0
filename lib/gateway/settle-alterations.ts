/**
 * AlterConfigs and IncrementalAlterConfigs alike: each resource answered on
 * its own. A resource named twice, a broker, or another type is refused
 * without asking the broker; the topics are altered in requests of at most
 * the broker's topics per config request, a bad topic answered alone.
 */
import type { KafkalessError } from '../errors.js';
import { MAX_CONFIG_TOPICS_PER_REQUEST } from '../protocol/admin-config-requests.js';
import { alterationRefusal, duplicateRefusal, repeatedResources, resourceKey, type ConfigResource } from './config-resources.js';
import { sameTopic, settleChecked } from './settle-each.js';
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
  const answers: AlterationAnswer[] = [];
  for (let i = 0; i < resources.length; i += MAX_CONFIG_TOPICS_PER_REQUEST) {
    const chunk = asks.slice(i, i + MAX_CONFIG_TOPICS_PER_REQUEST);
    const settled = await settleChecked(
      chunk,
      (a) => (isAsk(a) ? undefined : a),
      (a, context) => isAsk(a) && sameTopic(a.topic, context),
      (accepted) => run(accepted.filter(isAsk)),
    );
    settled.forEach((s, k) => {
      const r = resources[i + k]!;
      answers.push({ resourceType: r.resourceType, resourceName: r.resourceName, ...errorFields(s) });
    });
  }
  return answers;
}

function isAsk<A>(a: A | KafkalessError): a is A {
  return !(a instanceof Error);
}
