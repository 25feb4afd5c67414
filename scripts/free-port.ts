import { createServer, type AddressInfo } from 'node:net';

/** A loopback port nobody listens on right now (the OS picks it), for servers started side by side. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}
