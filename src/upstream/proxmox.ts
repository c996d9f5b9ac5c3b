/** The Proxmox VE client and its helpers (UPIDs, property strings, response types). */
export { ProxmoxClient } from "./proxmox/client";
export type {
  AclUpdate,
  BackupJobParams,
  GuestKind,
  LxcConfigUpdate,
  LxcCreateParams,
  ProxmoxClientOptions,
  PveParams,
  QemuConfigUpdate,
  QemuCreateParams,
  ReplicationJobParams,
  TaskFilters,
  VzdumpParams,
} from "./proxmox/client";
export * from "./proxmox/property-string";
export * from "./proxmox/upid";
export * from "./proxmox/schemas";
