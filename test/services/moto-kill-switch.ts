/**
 * A private moto S3 server behind a kill switch, for faults at an exact point of a run. The product
 * talks to a TCP relay on its own port; the relay reads the HTTP request line of every request passing
 * through and, at the request the test names, SIGKILLs the real moto process before that request
 * reaches it and stops listening: the held request is reset and every retry is refused, as when the
 * endpoint dies. `restart()` brings moto back on its same port and the relay on its same port (the
 * product's endpoint does not change). Moto keeps its data in memory only, so the restarted server is
 * empty: buckets must be created again.
 */
import { createServer, connect } from 'node:net';
import type { Server, Socket } from 'node:net';
import { freePort } from './env.js';
import { startMotoOnPort } from './moto.js';

/** One S3 request as seen on the wire: method and path (bucket first, no query string). */
export interface S3Request {
  method: string;
  path: string;
}

/** Decides, for each request, whether moto dies now; `seen` holds the requests since `arm`, before this one. */
export type KillTrigger = (request: S3Request, seen: readonly S3Request[]) => boolean;

export interface MotoKillSwitch {
  /** The endpoint to give the product (the relay). */
  endpoint: string;
  /** Requests relayed or held since the last `arm`. */
  requests(): readonly S3Request[];
  /** Watches the next requests with this trigger (and forgets the requests seen so far). */
  arm(trigger: KillTrigger): void;
  /** The request at which moto was killed since the last `arm`, if it was. */
  killedAt(): S3Request | undefined;
  /** Whether moto is down (killed and not restarted). */
  isDown(): boolean;
  /** Starts moto again on its port (empty) and the relay on the endpoint's port. */
  restart(): Promise<void>;
  /** Stops moto and the relay. */
  dispose(): Promise<void>;
}


const requestLine = /^([A-Z]+) (\S+) HTTP\/1\.[01]\r\n/;

/** The request line at the start of a client chunk (a keep-alive client sends the next request only after the last response). */
function parseRequest(chunk: Buffer): S3Request | undefined {
  const m = requestLine.exec(chunk.toString('latin1', 0, Math.min(chunk.length, 4096)));
  if (!m?.[1] || !m[2]) return undefined;
  return { method: m[1], path: decodeURIComponent(m[2].split('?')[0]!) };
}

/** Starts moto on a free port behind a relay on another free port; see the module comment. */
export async function startMotoKillSwitch(): Promise<MotoKillSwitch> {
  const motoPort = await freePort();
  const relayPort = await freePort();
  let moto: { stop(): Promise<void> } | undefined = await startMotoOnPort(motoPort);
  let trigger: KillTrigger = () => false;
  let seen: S3Request[] = [];
  let killedAt: S3Request | undefined;
  let server: Server | undefined;
  const sockets = new Set<Socket>();

  const track = (s: Socket): void => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  };
  const stopRelay = async (): Promise<void> => {
    const srv = server;
    server = undefined;
    const closed = srv ? new Promise<void>((resolve) => srv.close(() => resolve())) : Promise.resolve();
    for (const s of sockets) s.destroy();
    await closed;
  };
  const kill = async (): Promise<void> => {
    const m = moto;
    moto = undefined;
    await m?.stop();
    await stopRelay();
  };
  const onClient = (client: Socket): void => {
    track(client);
    const upstream = connect(motoPort, '127.0.0.1');
    track(upstream);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.on('close', () => upstream.destroy());
    upstream.pipe(client);
    client.on('data', (chunk: Buffer) => {
      if (!moto) { client.destroy(); return; }
      const req = parseRequest(chunk);
      if (req) {
        const fire = killedAt === undefined && trigger(req, seen);
        seen.push(req);
        if (fire) {
          killedAt = req;
          client.pause();
          void kill();
          return;
        }
      }
      upstream.write(chunk);
    });
  };
  const listen = async (): Promise<void> => {
    const srv = createServer(onClient);
    await new Promise<void>((resolve, reject) => {
      srv.once('error', reject);
      srv.listen(relayPort, '127.0.0.1', () => resolve());
    });
    server = srv;
  };
  await listen();

  return {
    endpoint: `http://127.0.0.1:${relayPort}`,
    requests: () => seen,
    arm(t) {
      trigger = t;
      seen = [];
      killedAt = undefined;
    },
    killedAt: () => killedAt,
    isDown: () => moto === undefined,
    async restart() {
      await kill();
      moto = await startMotoOnPort(motoPort);
      await listen();
    },
    async dispose() {
      trigger = () => false;
      await kill();
    },
  };
}
