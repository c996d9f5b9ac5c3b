import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../context";
import { eq } from "drizzle-orm";
import { tenants } from "../../db/schema";
import { getUser, publicUser } from "../../services/users";
import { errorResponses, json } from "../openapi";
import { MeSchema } from "./schemas";

const route = createRoute({
  method: "get",
  path: "/api/v1/auth/me",
  tags: ["auth"],
  summary: "Who the caller is, in which tenant, with which role",
  responses: { 200: json(MeSchema, "The caller"), ...errorResponses() },
});

export function registerMe(app: App): void {
  app.openapi(route, async (c) => {
    const principal = c.get("principal");
    const { db } = c.get("services");
    const tenant = await db.select().from(tenants).where(eq(tenants.id, principal.tenantId)).get();
    const user = principal.type === "user" ? publicUser(await getUser(db, principal.homeTenantId, principal.id)) : null;
    return c.json(
      {
        type: principal.type,
        id: principal.id,
        label: principal.label,
        role: principal.role,
        tenant: { id: principal.tenantId, slug: tenant?.slug ?? "", name: tenant?.name ?? "" },
        home_tenant_id: principal.homeTenantId,
        authenticated_via: principal.via,
        must_change_password: principal.mustChangePassword,
        user,
      },
      200,
    );
  });
}
