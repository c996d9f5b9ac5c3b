/**
 * Proxmox task IDs: `UPID:node:PID:PSTART:STARTTIME:type:id:user:` with hex fields (pve-common `PVE::UPID`).
 * `user` is a user ID or a full API token ID (`user@realm!token`).
 */
const UPID_RE = /^UPID:([a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?):([0-9A-Fa-f]{8}):([0-9A-Fa-f]{8,9}):([0-9A-Fa-f]{8}):([^:\s/]+):([^:\s/]*):([^:\s/]+):$/;

export interface Upid {
  upid: string;
  node: string;
  pid: number;
  pstart: number;
  /** Task start, seconds since the epoch. */
  starttime: number;
  type: string;
  /** Usually the VMID; empty for node-wide tasks. */
  id: string;
  /** The user ID (without a token part). */
  user: string;
  /** The token name when a token started the task. */
  tokenid?: string;
}

export function isUpid(value: string): boolean {
  return UPID_RE.test(value);
}

export function parseUpid(upid: string): Upid {
  const m = UPID_RE.exec(upid);
  if (!m) throw new Error(`not a Proxmox UPID: ${upid}`);
  const owner = m[7]!;
  const bang = owner.indexOf("!");
  return {
    upid,
    node: m[1]!,
    pid: parseInt(m[2]!, 16),
    pstart: parseInt(m[3]!, 16),
    starttime: parseInt(m[4]!, 16),
    type: m[5]!,
    id: m[6]!,
    user: bang < 0 ? owner : owner.slice(0, bang),
    ...(bang < 0 ? {} : { tokenid: owner.slice(bang + 1) }),
  };
}
