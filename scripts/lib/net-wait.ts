import net from "node:net";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** True when something accepts TCP connections on host:port. */
export function isListening(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** True when the port can be bound on host (nobody listens there). */
export function isPortFree(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

/** A port the OS says is free right now (bind to 0, read it, release it): for tests and benchmarks. */
export async function freePort(host = "127.0.0.1"): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The first free port at or after `start`, skipping `avoid`. */
export async function freePortFrom(start: number, avoid: number[] = [], host = "127.0.0.1"): Promise<number> {
  for (let port = start; port < start + 200; port++) {
    if (avoid.includes(port)) continue;
    if (await isPortFree(port, host)) return port;
  }
  throw new Error(`No free port between ${start} and ${start + 199}.`);
}

/**
 * Polls until `probe` returns true. Gives up (false) after `timeoutMs`, or as soon as `stillAlive` says the
 * process being waited on has died, so a crashed child never turns into a long hang.
 */
export async function waitUntil(probe: () => Promise<boolean>, timeoutMs: number, stillAlive: () => boolean = () => true): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!stillAlive()) return false;
    if (await probe()) return true;
    await sleep(150);
  }
  return false;
}

/** True when `url` answers HTTP at all (any status: an invalid config answers /health with 503). */
export async function answersHttp(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await res.body?.cancel();
    return true;
  } catch {
    return false;
  }
}
