/** The APIs the gateway serves, one handler each; ApiVersions advertises exactly these. */
import type { ServedApi } from '../api-handler.js';
import { addOffsetsToTxn } from './add-offsets-to-txn.js';
import { addPartitionsToTxn } from './add-partitions-to-txn.js';
import { apiVersions } from './api-versions.js';
import { createTopics } from './create-topics.js';
import { deleteTopics } from './delete-topics.js';
import { describeProducers } from './describe-producers.js';
import { describeTransactions } from './describe-transactions.js';
import { endTxn } from './end-txn.js';
import { fetch } from './fetch.js';
import { findCoordinator } from './find-coordinator.js';
import { initProducerId } from './init-producer-id.js';
import { listOffsets } from './list-offsets.js';
import { listTransactions } from './list-transactions.js';
import { metadata } from './metadata.js';
import { produce } from './produce.js';
import { txnOffsetCommit } from './txn-offset-commit.js';

export const SERVED_APIS: readonly ServedApi[] = [produce, fetch, listOffsets, metadata, findCoordinator, apiVersions, createTopics, deleteTopics, initProducerId, addPartitionsToTxn, addOffsetsToTxn, endTxn, txnOffsetCommit, describeProducers, describeTransactions, listTransactions];
