/**
 * Ports for local servers: a free one chosen by the OS, or a check that a
 * fixed one is still free.
 */
import { createServer } from 'node:net';

export const LOCAL_HOST = '127.0.0.1';

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, LOCAL_HOST, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no free port was assigned'))));
    });
  });
}

/** Throws a clear error when `port` is taken; `what` names the server that wanted it. */
export async function assertPortFree(port: number, what: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', (error: NodeJS.ErrnoException) => {
      const reason = error.code === 'EADDRINUSE' ? 'is already in use' : `cannot be opened (${error.message})`;
      reject(new Error(`Port ${port} for ${what} ${reason}. Stop whatever listens there or choose another port.`));
    });
    server.listen(port, '0.0.0.0', () => server.close(() => resolve()));
  });
}
