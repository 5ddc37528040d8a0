/**
 * A CloudFormation endpoint that answers DescribeStacks for one stack with
 * the given outputs (the query protocol's XML), and ValidationError for any
 * other, so a CLI's `--stack NAME` path runs against the local services
 * (the SDK's own AWS_ENDPOINT_URL_CLOUDFORMATION points it here).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeCloudFormation {
  readonly endpoint: string;
  close(): Promise<void>;
}

const NS = 'http://cloudformation.amazonaws.com/doc/2010-05-15/';

const escape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');

function describeStacks(stackName: string, outputs: Readonly<Record<string, string>>): string {
  const members = Object.entries(outputs).map(([key, value]) => `<member><OutputKey>${escape(key)}</OutputKey><OutputValue>${escape(value)}</OutputValue></member>`).join('');
  return (
    `<DescribeStacksResponse xmlns="${NS}"><DescribeStacksResult><Stacks><member>` +
    `<StackName>${escape(stackName)}</StackName><StackStatus>CREATE_COMPLETE</StackStatus><CreationTime>2026-01-01T00:00:00Z</CreationTime>` +
    `<Outputs>${members}</Outputs></member></Stacks></DescribeStacksResult><ResponseMetadata><RequestId>fake</RequestId></ResponseMetadata></DescribeStacksResponse>`
  );
}

const validationError = (message: string): string =>
  `<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>ValidationError</Code><Message>${escape(message)}</Message></Error><RequestId>fake</RequestId></ErrorResponse>`;

export async function startFakeCloudFormation(stackName: string, outputs: Readonly<Record<string, string>>): Promise<FakeCloudFormation> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const params = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const asked = params.get('StackName') ?? '';
      const ok = params.get('Action') === 'DescribeStacks' && asked === stackName;
      res.writeHead(ok ? 200 : 400, { 'content-type': 'text/xml' });
      res.end(ok ? describeStacks(stackName, outputs) : validationError(`Stack with id ${asked} does not exist`));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}
