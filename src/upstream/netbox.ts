/** The NetBox client, its response types and the webhook verifier/parser. */
export { listPath, NetboxClient, summarizeNetboxErrors } from "./netbox/client";
export type { BulkUpdate, ListOptions, NetboxClientOptions, NetboxFilters, ReadOptions } from "./netbox/client";
export type { AvailableIp, AvailableIpRequest, IpAddress, NetboxObject, NetboxStatus } from "./netbox/schemas";
export { parseNetboxWebhook, verifyNetboxWebhook } from "./netbox/webhook";
export type { NetboxWebhookEvent, NetboxWebhookEventType } from "./netbox/webhook";
