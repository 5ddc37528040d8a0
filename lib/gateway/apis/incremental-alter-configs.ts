/**
 * IncrementalAlterConfigs: SET, DELETE, APPEND and SUBTRACT of a topic's
 * config keys, onto the broker's incrementalAlterConfigs (every operation
 * checked before the one write). A topic with no operations is only checked
 * to exist. Broker resources are refused.
 */
import { KafkalessError } from '../../errors.js';
import { CONFIG_OPERATIONS, type ConfigOperationEntry } from '../../protocol/admin-config-requests.js';
import { API_KEYS } from '../../wire/index.js';
import type { ApiContext, ApiHandler } from '../api-handler.js';
import { settleAlterations } from '../settle-alterations.js';

interface Ask {
  readonly topic: string;
  readonly configEntries: readonly ConfigOperationEntry[];
}

export const incrementalAlterConfigs: ApiHandler<typeof API_KEYS.IncrementalAlterConfigs> = {
  apiKey: API_KEYS.IncrementalAlterConfigs,
  minVersion: 0,
  maxVersion: 1,
  async handle(request, ctx) {
    const responses = await settleAlterations(
      request.resources,
      (r): Ask | KafkalessError => {
        const entries: ConfigOperationEntry[] = [];
        for (const c of r.configs) {
          // Kafka's AlterConfigOp.OpType ids are the operations' positions: 0 SET, 1 DELETE, 2 APPEND, 3 SUBTRACT.
          const operation = CONFIG_OPERATIONS[c.configOperation];
          if (operation === undefined) return new KafkalessError('InvalidRequest', `Unknown config operation ${c.configOperation} for '${c.name}': give 0 (SET), 1 (DELETE), 2 (APPEND) or 3 (SUBTRACT)`);
          entries.push({ name: c.name, operation, value: c.value });
        }
        return { topic: r.resourceName, configEntries: entries };
      },
      (asks) => alter(asks, request.validateOnly, ctx),
    );
    return { throttleTimeMs: 0, responses };
  },
};

/** The broker's answers in the asks' order; a topic without operations is described instead, which checks it exists. */
async function alter(asks: readonly Ask[], validateOnly: boolean, ctx: ApiContext): Promise<unknown[]> {
  const changing = asks.filter((a) => a.configEntries.length > 0);
  const checked = asks.filter((a) => a.configEntries.length === 0).map((a) => a.topic);
  const changed = changing.length > 0 ? (await ctx.broker.call<{ topics: unknown[] }>('admin', { action: 'incrementalAlterConfigs', topics: changing, validateOnly })).topics : [];
  const described = checked.length > 0 ? (await ctx.broker.call<{ topics: unknown[] }>('admin', { action: 'describeConfigs', topics: checked })).topics : [];
  let c = 0;
  let d = 0;
  return asks.map((a) => (a.configEntries.length > 0 ? changed[c++] : described[d++]));
}
