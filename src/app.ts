import { OpenAPIHono } from "@hono/zod-openapi";
import { swaggerUI } from "@hono/swagger-ui";
import { bodyLimit } from "hono/body-limit";
import type { App, AppEnv } from "./context";
import { ApiError, renderError, toApiError } from "./errors";
import { authenticate } from "./http/authenticate";
import { authorizeByDefault } from "./http/authorize";
import { readiness } from "./http/readiness";
import { requestContext } from "./http/request-context";
import { securityHeaders } from "./http/security-headers";
import { validationHook } from "./http/validation";
import { log } from "./logging";
import { registerRoutes } from "./api/routes";
import { VERSION } from "./version";

const MAX_BODY_BYTES = 1024 * 1024;

export function buildApp(): App {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.use("*", requestContext, securityHeaders, readiness);
  app.use(
    "*",
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new ApiError(413, "payload_too_large", `Request body exceeds ${MAX_BODY_BYTES} bytes`);
      },
    }),
  );
  app.use("*", authenticate, authorizeByDefault);

  registerRoutes(app);

  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    description: "An access token from POST /api/v1/auth/login, or an API key (opk_…)",
  });
  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: { title: "Outpost API", version: VERSION, description: "Edge control plane for Proxmox VE, NetBox and RouterOS labs" },
    security: [{ bearerAuth: [] }],
  });
  app.get("/docs", swaggerUI({ url: "/openapi.json", title: "Outpost API" }));

  app.notFound((c) => renderError(c, new ApiError(404, "not_found", `No route for ${c.req.method} ${c.req.path}`)));
  app.onError((err, c) => {
    const apiError = toApiError(err);
    if (apiError.status >= 500 && !(err instanceof ApiError)) {
      log("error", "unhandled_error", { request_id: c.get("requestId"), error: err });
    }
    return renderError(c, apiError);
  });
  return app;
}
