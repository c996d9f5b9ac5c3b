/** PVE 9 privileges and the built-in roles generated from their privilege groups (pve-access-control 9). */
type Groups = { root: string[]; admin: string[]; user: string[]; audit: string[] };

const PRIV_GROUPS: Record<string, Groups> = {
  VM: {
    root: [],
    admin: [
      "VM.Config.Disk",
      "VM.Config.CPU",
      "VM.Config.Memory",
      "VM.Config.Network",
      "VM.Config.HWType",
      "VM.Config.Options",
      "VM.Allocate",
      "VM.Clone",
      "VM.Migrate",
      "VM.Replicate",
      "VM.Snapshot",
      "VM.Snapshot.Rollback",
      "VM.GuestAgent.FileRead",
      "VM.GuestAgent.FileWrite",
      "VM.GuestAgent.FileSystemMgmt",
      "VM.GuestAgent.Unrestricted",
    ],
    user: ["VM.Config.CDROM", "VM.Config.Cloudinit", "VM.Console", "VM.Backup", "VM.PowerMgmt"],
    audit: ["VM.Audit", "VM.GuestAgent.Audit"],
  },
  Sys: {
    root: ["Sys.PowerMgmt", "Sys.Modify", "Sys.Incoming", "Sys.AccessNetwork"],
    admin: ["Sys.Console", "Sys.Syslog"],
    user: [],
    audit: ["Sys.Audit"],
  },
  Datastore: {
    root: [],
    admin: ["Datastore.Allocate", "Datastore.AllocateTemplate"],
    user: ["Datastore.AllocateSpace"],
    audit: ["Datastore.Audit"],
  },
  SDN: { root: [], admin: ["SDN.Allocate", "SDN.Audit"], user: ["SDN.Use"], audit: ["SDN.Audit"] },
  User: { root: ["Realm.Allocate"], admin: ["User.Modify", "Group.Allocate", "Realm.AllocateUser"], user: [], audit: [] },
  Pool: { root: [], admin: ["Pool.Allocate"], user: [], audit: ["Pool.Audit"] },
  Mapping: { root: [], admin: ["Mapping.Modify"], user: ["Mapping.Use"], audit: ["Mapping.Audit"] },
  Permissions: { root: ["Permissions.Modify"], admin: [], user: [], audit: [] },
};

const union = (...lists: string[][]) => [...new Set(lists.flat())].sort();

export const ALL_PRIVILEGES: ReadonlySet<string> = new Set(
  Object.values(PRIV_GROUPS).flatMap((g) => [...g.root, ...g.admin, ...g.user, ...g.audit]),
);

function builtinRoles(): Map<string, string[]> {
  const roles = new Map<string, string[]>();
  const g = PRIV_GROUPS;
  const adminOf = (cat: string) => union(g[cat]!.admin, g[cat]!.user, g[cat]!.audit);
  const userOf = (cat: string) => union(g[cat]!.user, g[cat]!.audit);
  roles.set("Administrator", [...ALL_PRIVILEGES].sort());
  roles.set("NoAccess", []);
  roles.set("PVEAdmin", union(...Object.keys(g).map(adminOf)));
  roles.set("PVEAuditor", union(...Object.values(g).map((x) => x.audit)));
  for (const cat of ["VM", "Sys", "Datastore", "SDN", "User", "Pool", "Mapping"]) roles.set(`PVE${cat}Admin`, adminOf(cat));
  for (const cat of ["VM", "Datastore", "SDN", "Pool", "Mapping"]) roles.set(`PVE${cat}User`, userOf(cat));
  roles.set("PVETemplateUser", ["VM.Audit", "VM.Clone"]);
  return roles;
}

export const BUILTIN_ROLES: ReadonlyMap<string, readonly string[]> = builtinRoles();
