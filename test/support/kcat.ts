/** kcat (librdkafka) run against a gateway; resolves with its output. */
import { execFile } from 'node:child_process';

export function runKcat(broker: string, args: readonly string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile('kcat', ['-b', broker, ...args], (err, stdout, stderr) => {
      if (err) reject(new Error(`kcat ${args.join(' ')} failed: ${stderr}`));
      else resolve(stdout);
    });
    child.stdin?.end(input ?? '');
  });
}

/** `partition:value` of every record of `topic` read from the beginning at this isolation level, sorted. */
export async function kcatValues(broker: string, topic: string, isolation: 'read_committed' | 'read_uncommitted'): Promise<string[]> {
  const out = await runKcat(broker, ['-C', '-t', topic, '-o', 'beginning', '-e', '-q', '-X', `isolation.level=${isolation}`, '-f', '%p:%s\\n']);
  return out.split('\n').filter((l) => l !== '').sort();
}
