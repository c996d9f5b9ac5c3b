/**
 * Serves a simulator over real HTTP on loopback (for `npm start`, the conformance clients and the benchmarks).
 * A simulated drop destroys the socket, so the client sees exactly what a dead connection looks like.
 */
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { serve, type HttpBindings, type Http2Bindings } from "@hono/node-server";
import { SimulatedDrop } from "../common/faults";

export interface Fetchable {
  app: { fetch: (request: Request, env?: unknown) => Response | Promise<Response> };
}

export interface ServedSim {
  url: string;
  port: number;
  close(): Promise<void>;
}

export function serveSim(sim: Fetchable, port = 0, hostname = "127.0.0.1"): Promise<ServedSim> {
  return new Promise((resolve, reject) => {
    const server = serve(
      {
        port,
        hostname,
        fetch: async (request: Request, env: HttpBindings | Http2Bindings) => {
          try {
            return await sim.app.fetch(request);
          } catch (err) {
            if (err instanceof SimulatedDrop) {
              env.incoming.socket.destroy();
              return new Response(null, { status: 499 });
            }
            throw err;
          }
        },
      },
      (info: AddressInfo) => {
        resolve({
          url: `http://${hostname}:${info.port}`,
          port: info.port,
          close: () => new Promise<void>((done) => (server as Server).close(() => done())),
        });
      },
    ) as Server;
    server.keepAliveTimeout = 65_000;
    server.on("error", reject);
  });
}
