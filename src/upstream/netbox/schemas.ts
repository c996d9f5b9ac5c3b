/**
 * Response shapes of the NetBox endpoints the client reads. Objects stay loose: NetBox adds fields release by
 * release (`owner` in 4.5, `virtual_machine_type` in 4.6), and callers read what they need.
 */
import { z } from "zod";

/** Any NetBox object: `id`, `url`, `display` and whatever the serializer adds. */
export const NetboxObjectSchema = z.looseObject({ id: z.number().int(), url: z.string().optional(), display: z.string().optional() });
export type NetboxObject = z.infer<typeof NetboxObjectSchema>;

/** What a read returns: an object (with `fields=` it may lack even `id`). */
export const ReadObjectSchema = z.record(z.string(), z.unknown());

/** A list page; `count` and `previous` are null in cursor mode (4.6 `start=`). */
export const PageSchema = z.object({
  count: z.number().int().nullable(),
  next: z.string().nullable(),
  previous: z.string().nullable(),
  results: z.array(z.unknown()),
});

export const StatusSchema = z.looseObject({
  "netbox-version": z.string(),
  "netbox-full-version": z.string().optional(),
  "django-version": z.string().optional(),
  "python-version": z.string().optional(),
  plugins: z.record(z.string(), z.unknown()).optional(),
  "rq-workers-running": z.number().optional(),
  hostname: z.string().optional(),
});

export interface NetboxStatus {
  /** `4.6.8`. */
  netboxVersion: string;
  /** The `API-Version` header (`4.6`). */
  apiVersion: string;
  djangoVersion?: string;
  pythonVersion?: string;
  /** Installed plugins by name, with their versions. */
  plugins: Record<string, string>;
  rqWorkersRunning?: number;
}

export const AvailableIpSchema = z.looseObject({
  family: z.number().int(),
  address: z.string(),
  vrf: z.looseObject({ id: z.number().int() }).nullable().optional(),
});
export type AvailableIp = z.infer<typeof AvailableIpSchema>;

/** One address requested from `available-ips`: an optional mask length plus any IP address field. */
export interface AvailableIpRequest {
  prefix_length?: number;
  status?: string;
  description?: string;
  dns_name?: string;
  assigned_object_type?: string;
  assigned_object_id?: number;
  tenant?: number | Record<string, unknown>;
  tags?: Array<number | Record<string, unknown>>;
  custom_fields?: Record<string, unknown>;
  [field: string]: unknown;
}

export const IpAddressSchema = NetboxObjectSchema.extend({ address: z.string() });
export type IpAddress = z.infer<typeof IpAddressSchema>;
