import { describe, expect, it } from 'vitest';
import { mergeAccess, objectActions, permissionsFor, tableActions } from '../../lib/infra/permissions.js';
import type { DataTargets } from '../../lib/infra/permissions.js';
import { TABLE_ROLES } from '../../lib/names.js';
import { TABLE_READ, TABLE_WRITE } from './template-helpers.js';

const targets: DataTargets = {
  bucketArn: 'arn:bucket',
  tableArns: Object.fromEntries(TABLE_ROLES.map((role) => [role, `arn:table/${role}`])) as DataTargets['tableArns'],
};

describe('table actions', () => {
  it('give read access exactly the item reads', () => {
    expect(tableActions('read')).toEqual(TABLE_READ);
  });

  it('give write access exactly the item writes', () => {
    expect(tableActions('write')).toEqual(TABLE_WRITE);
  });

  it('give readwrite access both, naming ConditionCheckItem once', () => {
    const actions = tableActions('readwrite');
    expect([...actions].sort()).toEqual([...new Set([...TABLE_READ, ...TABLE_WRITE])].sort());
    expect(actions.filter((action) => action === 'dynamodb:ConditionCheckItem')).toHaveLength(1);
  });
});

describe('object actions', () => {
  it('let readers get, writers put, and only the collector delete', () => {
    expect(objectActions('read')).toEqual(['s3:GetObject']);
    expect(objectActions('write')).toEqual(['s3:PutObject']);
    expect(objectActions('readwrite')).toEqual(['s3:GetObject', 's3:PutObject']);
    expect(objectActions('collect')).toEqual(['s3:GetObject', 's3:PutObject', 's3:DeleteObject']);
  });
});

describe('merging access', () => {
  it('keeps the widest level per resource', () => {
    const merged = mergeAccess([
      { bucket: 'read', tables: { topics: 'read', groups: 'write' } },
      { bucket: 'write', tables: { topics: 'read', groups: 'read', partitions: 'read' } },
    ]);
    expect(merged).toEqual({ bucket: 'readwrite', tables: { topics: 'read', partitions: 'read', groups: 'readwrite' } });
  });

  it('gives delete only where the collector\'s access is merged in', () => {
    expect(mergeAccess([{ bucket: 'readwrite', tables: {} }, { bucket: 'write', tables: {} }]).bucket).toBe('readwrite');
    expect(mergeAccess([{ bucket: 'read', tables: {} }, { bucket: 'collect', tables: {} }]).bucket).toBe('collect');
  });

  it('of nothing is no access', () => {
    expect(mergeAccess([])).toEqual({ bucket: 'none', tables: {} });
  });
});

describe('permissions', () => {
  it('group the tables granted at one level into one statement', () => {
    const permissions = permissionsFor({ bucket: 'none', tables: { topics: 'read', batches: 'read', groups: 'readwrite' } }, targets);
    expect(permissions).toEqual([
      { actions: TABLE_READ, resources: ['arn:table/topics', 'arn:table/batches'] },
      { actions: tableActions('readwrite'), resources: ['arn:table/groups'] },
    ]);
  });

  it('list the bucket only for the collector, on the bucket itself', () => {
    expect(permissionsFor({ bucket: 'readwrite', tables: {} }, targets)).toEqual([{ actions: ['s3:GetObject', 's3:PutObject'], resources: ['arn:bucket/*'] }]);
    expect(permissionsFor({ bucket: 'collect', tables: {} }, targets)).toEqual([
      { actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], resources: ['arn:bucket/*'] },
      { actions: ['s3:ListBucket'], resources: ['arn:bucket'] },
    ]);
  });

  it('add only decryption on the key for a reader', () => {
    const permissions = permissionsFor({ bucket: 'read', tables: { topics: 'read' } }, { ...targets, keyArn: 'arn:key' });
    expect(permissions.at(-1)).toEqual({ actions: ['kms:Decrypt', 'kms:DescribeKey'], resources: ['arn:key'] });
  });

  it('add no key statement when nothing is accessed', () => {
    expect(permissionsFor({ bucket: 'none', tables: {} }, { ...targets, keyArn: 'arn:key' })).toEqual([]);
  });
});
