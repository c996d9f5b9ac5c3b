/**
 * Serves a simulator over real HTTP on loopback (for `npm start`, the conformance clients and the benchmarks).
 * Written on node:http rather than an adapter so the reason phrase survives: Proxmox puts the only explanation of
 * a 401 there. A simulated drop destroys the socket, so the client sees exactly what a dead connection looks like.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { SimulatedDrop } from "../common/faults";

export interface Fetchable {
  app: { fetch: (request: Request) => Response | Promise<Response> };
}

export interface ServedSim {
  url: string;
  port: number;
  close(): Promise<void>;
}

async function toRequest(req: IncomingMessage): Promise<Request> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.set(name, value);
  }
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const hasBody = req.method !== "GET" && req.method !== "HEAD" && chunks.length > 0;
  return new Request(`http://${req.headers.host ?? "127.0.0.1"}${req.url ?? "/"}`, {
    method: req.method,
    headers,
    body: hasBody ? Buffer.concat(chunks) : undefined,
  });
}

async function writeResponse(res: ServerResponse, response: Response): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name !== "set-cookie") headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length) headers["set-cookie"] = cookies;
  const body = response.body ? Buffer.from(await response.arrayBuffer()) : undefined;
  if (body && !headers["content-length"]) headers["content-length"] = String(body.length);
  res.writeHead(response.status, response.statusText || undefined, headers);
  res.end(body);
}

export function serveSim(sim: Fetchable, port = 0, hostname = "127.0.0.1"): Promise<ServedSim> {
  const server = createServer(async (req, res) => {
    try {
      await writeResponse(res, await sim.app.fetch(await toRequest(req)));
    } catch (err) {
      if (err instanceof SimulatedDrop) {
        req.socket.destroy();
        return;
      }
      res.writeHead(500, { "content-type": "text/plain" });
      res.end(`simulator error: ${err instanceof Error ? err.message : String(err)}`);
    }
  });
  server.keepAliveTimeout = 65_000;
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, hostname, () => {
      const { port: bound } = server.address() as AddressInfo;
      resolve({
        url: `http://${hostname}:${bound}`,
        port: bound,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
