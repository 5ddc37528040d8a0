/**
 * Kafka's config resources on the wire (DescribeConfigs, AlterConfigs,
 * IncrementalAlterConfigs): the resource, source and value-type codes, and
 * the refusals every config API shares. Topics are served; the one broker
 * is described read-only; other resource types are INVALID_REQUEST.
 */
import { KafkalessError } from '../errors.js';
import type { ConfigType } from '../protocol/config-types.js';

/** Kafka's ConfigResource.Type codes. */
export const RESOURCE_TOPIC = 2;
export const RESOURCE_BROKER = 4;

/** Kafka's DescribeConfigsResponse.ConfigSource codes. */
export const CONFIG_SOURCE = { DYNAMIC_TOPIC_CONFIG: 1, STATIC_BROKER_CONFIG: 4, DEFAULT_CONFIG: 5 } as const;

/** Kafka's DescribeConfigsResponse.ConfigType codes. */
const CONFIG_TYPE_CODES: Readonly<Record<ConfigType, number>> = { boolean: 1, string: 2, int: 3, long: 5, double: 6, list: 7 };

export function configTypeCode(type: ConfigType): number {
  return CONFIG_TYPE_CODES[type];
}

export interface ConfigResource {
  readonly resourceType: number;
  readonly resourceName: string;
}

/** Whether `name` names this gateway's broker: its node id, or '' (Kafka's cluster-wide default). */
export function isThisBroker(name: string, nodeId: number): boolean {
  return name === '' || name === String(nodeId);
}

/** Why a broker resource name is not this gateway's broker. */
export function otherBrokerRefusal(name: string, nodeId: number): KafkalessError {
  return new KafkalessError('InvalidRequest', `Unexpected broker id '${name}': this cluster's only broker is ${nodeId} (or '' for the cluster default)`);
}

export function unservedTypeRefusal(resourceType: number): KafkalessError {
  return new KafkalessError('InvalidRequest', `Config resource type ${resourceType} is not served: only topics (2) and the broker (4) have configs here`);
}

/**
 * The refusal of an alteration that is not a topic's: broker configs are the
 * broker's defaults and fixed facts, none dynamic (Kafka answers a change it
 * cannot make dynamically with INVALID_REQUEST).
 */
export function alterationRefusal(resource: ConfigResource): KafkalessError | undefined {
  if (resource.resourceType === RESOURCE_TOPIC) return undefined;
  if (resource.resourceType === RESOURCE_BROKER) {
    return new KafkalessError('InvalidRequest', 'Broker configs are read-only here: they are the broker\'s defaults and fixed facts; set topic configs instead');
  }
  return unservedTypeRefusal(resource.resourceType);
}

/** Resources named more than once in one request (Kafka refuses each of them). */
export function repeatedResources(resources: readonly ConfigResource[]): Set<string> {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const r of resources) {
    const key = resourceKey(r);
    if (seen.has(key)) twice.add(key);
    seen.add(key);
  }
  return twice;
}

export function resourceKey(r: ConfigResource): string {
  return `${r.resourceType}:${r.resourceName}`;
}

export function duplicateRefusal(resource: ConfigResource): KafkalessError {
  return new KafkalessError('InvalidRequest', `Resource '${resource.resourceName}' (type ${resource.resourceType}) appears more than once in the request; give all its changes in one entry`);
}
