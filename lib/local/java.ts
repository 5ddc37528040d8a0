/**
 * Finds the Java runtime that DynamoDB Local runs on.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

const INSTALL_HINT =
  'DynamoDB Local needs a Java runtime (JRE 17 or newer). Install one with ' +
  '`apt-get install -y default-jre-headless` (Debian/Ubuntu) or any JRE 17+, ' +
  'then make sure `java` is on PATH or JAVA_HOME points at it.';

/** The absolute path of a `java` executable: JAVA_HOME first, then PATH. */
export function findJava(env: NodeJS.ProcessEnv = process.env): string {
  const candidates: string[] = [];
  const executable = process.platform === 'win32' ? 'java.exe' : 'java';
  if (env.JAVA_HOME !== undefined && env.JAVA_HOME !== '') {
    candidates.push(join(env.JAVA_HOME, 'bin', executable));
  }
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir !== '') candidates.push(join(dir, executable));
  }
  const found = candidates.find(isExecutable);
  if (found === undefined) throw new Error(`Java was not found. ${INSTALL_HINT}`);
  return found;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
