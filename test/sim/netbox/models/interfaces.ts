/**
 * What DCIM interfaces and VM interfaces share (NetBox's `BaseInterface`): MTU, 802.1Q mode and VLANs, primary
 * MAC address, parent/bridge links, and the `clean()`/`save()` rules around them.
 */
import * as f from "../engine/fields";
import type { CleanContext, DbView, FieldDef, Row, ValidationErrors } from "../engine/types";

export const MODE_CHOICES = [
  ["access", "Access"],
  ["tagged", "Tagged"],
  ["tagged-all", "Tagged (All)"],
  ["q-in-q", "Q-in-Q (802.1ad)"],
] as const;

/** The MAC strings of the MACs assigned to an interface (via the MAC's generic FK). */
export function macRows(db: DbView, ctype: string, id: number): Row[] {
  return [...db.genericReferrers("dcim.macaddress", "assigned_object_type", ctype, id)]
    .map((mid) => db.get("dcim.macaddress", mid)!)
    .sort((a, b) => String(a.mac_address).localeCompare(String(b.mac_address)) || a.id - b.id);
}

export function interfaceFields(ctype: string): Record<string, FieldDef> {
  return {
    mac_address: f.computed((row, db) => (typeof row.primary_mac_address === "number" ? (db.get("dcim.macaddress", row.primary_mac_address)?.mac_address ?? null) : null)),
    primary_mac_address: f.fk("dcim.macaddress", "set_null"),
    mac_addresses: f.computed((row, db, ctx) => macRows(db, ctype, row.id).map((m) => ctx.nest("dcim.macaddress", m.id))),
  };
}

/** `BaseInterface.clean()`: Q-in-Q service VLANs and the primary MAC's assignment. */
export function cleanInterface(ctype: string, row: Row, ctx: CleanContext): ValidationErrors | null {
  if (row.qinq_svlan !== null && row.qinq_svlan !== undefined && row.mode !== "q-in-q") return { qinq_svlan: ["Only Q-in-Q interfaces may specify a service VLAN."] };
  if (typeof row.primary_mac_address === "number") {
    const mac = ctx.db.get("dcim.macaddress", row.primary_mac_address)!;
    const assigned = mac.assigned_object_type !== null && (mac.assigned_object_type !== ctype || mac.assigned_object_id !== row.id);
    if (assigned) {
      const other = ctx.db.get(mac.assigned_object_type as string, mac.assigned_object_id as number);
      return { primary_mac_address: [`MAC address ${String(mac.mac_address)} is assigned to a different interface (${String(other?.name ?? "")}).`] };
    }
  }
  return null;
}

/** `BaseInterface.save()`: no untagged VLAN without a mode; tagged VLANs only in `tagged` mode. */
export function saveInterface(row: Row): void {
  if (!row.mode) row.untagged_vlan = null;
  if (row.mode !== "tagged") row.tagged_vlans = [];
}
