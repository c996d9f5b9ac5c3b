import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { Db } from "./db/client";
import type { Role } from "./db/schema";
import type { AppBindings } from "./env";
import type { Envelope } from "./security/envelope";
import type { ConnectionLimiter } from "./upstream/limiter";

/** Who is calling. `tenantId` is the tenant the request acts in; only a super admin may differ from home. */
export interface Principal {
  type: "user" | "api_key";
  id: number;
  label: string;
  role: Role;
  homeTenantId: number;
  tenantId: number;
  via: "bearer" | "cookie" | "api_key";
  mustChangePassword: boolean;
  sessionId?: string;
}

export interface Services {
  db: Db;
  envelope: Envelope;
  /** Caps open upstream connections of this invocation at the Workers limit. */
  upstream: ConnectionLimiter;
  now: () => number;
}

export interface AppEnv {
  Bindings: AppBindings;
  Variables: {
    requestId: string;
    source: string;
    services: Services;
    principal: Principal;
  };
}

export type App = OpenAPIHono<AppEnv>;
export type AppContext = Context<AppEnv>;
