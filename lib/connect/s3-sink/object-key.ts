/**
 * Object names as Confluent's S3 sink makes them:
 * `<topics.dir>/<topic>/<encoded partition>/<topic>+<kafka partition>+<start offset>.<ext>`,
 * the start offset zero-padded (`filename.offset.zero.pad.width`, 10). The
 * start offset is the first record of the object, so a retried flush of the
 * same records names the same object and overwrites it. Pure.
 */
export interface ObjectKeyParts {
  readonly topicsDir: string;
  readonly topic: string;
  readonly encodedPartition: string;
  readonly partition: number;
  readonly startOffset: number;
  readonly padWidth: number;
  readonly extension: string;
}

export function objectKey(p: ObjectKeyParts): string {
  const file = `${p.topic}+${p.partition}+${String(p.startOffset).padStart(p.padWidth, '0')}${p.extension}`;
  return [p.topicsDir, p.topic, p.encodedPartition, file].filter((part) => part !== '').join('/');
}
