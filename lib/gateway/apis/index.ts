/** The APIs the gateway serves, one handler each; ApiVersions advertises exactly these. */
import type { ServedApi } from '../api-handler.js';
import { alterConfigs } from './alter-configs.js';
import { apiVersions } from './api-versions.js';
import { consumerGroupDescribe } from './consumer-group-describe.js';
import { consumerGroupHeartbeat } from './consumer-group-heartbeat.js';
import { createPartitions } from './create-partitions.js';
import { createTopics } from './create-topics.js';
import { deleteGroups } from './delete-groups.js';
import { deleteRecords } from './delete-records.js';
import { deleteTopics } from './delete-topics.js';
import { describeCluster } from './describe-cluster.js';
import { describeConfigs } from './describe-configs.js';
import { describeGroups } from './describe-groups.js';
import { describeLogDirs } from './describe-log-dirs.js';
import { fetch } from './fetch.js';
import { findCoordinator } from './find-coordinator.js';
import { incrementalAlterConfigs } from './incremental-alter-configs.js';
import { initProducerId } from './init-producer-id.js';
import { listGroups } from './list-groups.js';
import { listOffsets } from './list-offsets.js';
import { metadata } from './metadata.js';
import { offsetDelete } from './offset-delete.js';
import { offsetForLeaderEpoch } from './offset-for-leader-epoch.js';
import { produce } from './produce.js';
import { saslAuthenticate } from './sasl-authenticate.js';
import { saslHandshake } from './sasl-handshake.js';

export const SERVED_APIS: readonly ServedApi[] = [
  produce,
  fetch,
  listOffsets,
  metadata,
  findCoordinator,
  describeGroups,
  listGroups,
  saslHandshake,
  apiVersions,
  createTopics,
  deleteTopics,
  deleteRecords,
  initProducerId,
  offsetForLeaderEpoch,
  describeConfigs,
  alterConfigs,
  describeLogDirs,
  createPartitions,
  deleteGroups,
  saslAuthenticate,
  incrementalAlterConfigs,
  offsetDelete,
  describeCluster,
  consumerGroupHeartbeat,
  consumerGroupDescribe,
];
