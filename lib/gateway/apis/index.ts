/** The APIs the gateway serves, one handler each; ApiVersions advertises exactly these. */
import type { ServedApi } from '../api-handler.js';
import { apiVersions } from './api-versions.js';
import { consumerGroupDescribe } from './consumer-group-describe.js';
import { consumerGroupHeartbeat } from './consumer-group-heartbeat.js';
import { createTopics } from './create-topics.js';
import { deleteGroups } from './delete-groups.js';
import { deleteTopics } from './delete-topics.js';
import { describeGroups } from './describe-groups.js';
import { fetch } from './fetch.js';
import { findCoordinator } from './find-coordinator.js';
import { initProducerId } from './init-producer-id.js';
import { listGroups } from './list-groups.js';
import { listOffsets } from './list-offsets.js';
import { metadata } from './metadata.js';
import { offsetDelete } from './offset-delete.js';
import { produce } from './produce.js';

export const SERVED_APIS: readonly ServedApi[] = [produce, fetch, listOffsets, metadata, findCoordinator, apiVersions, createTopics, deleteTopics, initProducerId, consumerGroupHeartbeat,
  describeGroups, listGroups, deleteGroups, offsetDelete, consumerGroupDescribe];
