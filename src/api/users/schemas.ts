import { z } from "@hono/zod-openapi";
import { ROLES } from "../../db/schema";
import { Timestamp } from "../openapi";

export const RoleSchema = z.enum(ROLES).openapi("Role");

export const UsernameSchema = z
  .string()
  .min(2)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._@-]*$/, "use letters, digits and . _ @ - only");

export const UserSchema = z
  .object({
    id: z.number().int(),
    tenant_id: z.number().int(),
    username: z.string(),
    display_name: z.string().nullable(),
    email: z.string().nullable(),
    role: RoleSchema,
    disabled: z.boolean(),
    must_change_password: z.boolean(),
    created_at: Timestamp,
    updated_at: Timestamp.nullable(),
    last_login_at: Timestamp.nullable(),
  })
  .openapi("User");

export const UserCreateSchema = z
  .object({
    username: UsernameSchema,
    password: z.string().min(1).max(1024),
    role: RoleSchema,
    display_name: z.string().max(128).nullable().optional(),
    email: z.email().max(254).nullable().optional(),
    must_change_password: z.boolean().optional().openapi({ description: "Default true: the user picks their own password at first login" }),
  })
  .strict()
  .openapi("UserCreate");

export const UserUpdateSchema = z
  .object({
    display_name: z.string().max(128).nullable().optional(),
    email: z.email().max(254).nullable().optional(),
    role: RoleSchema.optional(),
    disabled: z.boolean().optional(),
    password: z.string().min(1).max(1024).optional().openapi({ description: "Resets the password; the user must change it at next login" }),
  })
  .strict()
  .openapi("UserUpdate");

export const UserListSchema = z.object({ users: z.array(UserSchema) }).openapi("UserList");
