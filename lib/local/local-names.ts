/**
 * Physical names of a local stack's resources. They depend only on the stack
 * name and the template's logical ids, so a restarted stack finds the same
 * tables and bucket.
 */
import { createHash } from 'node:crypto';
import { FUNCTIONS, type FunctionRole } from '../names.js';

/** The account id in the ARNs the local stack reports. */
export const LOCAL_ACCOUNT_ID = '000000000000';

const BUCKET_NAME_MAX_CHARS = 63;

/**
 * Every function role names.ts knows (FUNCTIONS has one entry per role),
 * whether or not the stack deploys it yet: a template is read for all.
 */
export const KNOWN_FUNCTION_ROLES = Object.keys(FUNCTIONS) as FunctionRole[];

export function localTableName(stackName: string, logicalId: string): string {
  return `${stackName}-${logicalId}`.replace(/[^A-Za-z0-9_.-]/g, '-');
}

/** A valid S3 bucket name: lowercase, 3-63 characters of letters, digits and hyphens. */
export function localBucketName(stackName: string, logicalId: string): string {
  const name = `kafkaless-${stackName}-${logicalId}`
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .replace(/-+/g, '-');
  if (name.length <= BUCKET_NAME_MAX_CHARS) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${name.slice(0, BUCKET_NAME_MAX_CHARS - hash.length - 1).replace(/-$/, '')}-${hash}`;
}

/** `<stackName>-<role>`, or `<stackName>-<logicalId>` for a function of the app's own. */
export function localFunctionName(stackName: string, role: FunctionRole | string): string {
  return `${stackName}-${role}`.slice(0, 64);
}

export function localFunctionArn(region: string, functionName: string): string {
  return `arn:aws:lambda:${region}:${LOCAL_ACCOUNT_ID}:function:${functionName}`;
}
