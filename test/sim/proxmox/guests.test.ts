/** Guest semantics: create with locks and tasks, drives and NICs as PVE writes them, power, destroy, snapshots, backups. */
import { describe, expect, it } from "vitest";
import { SimClock } from "../common/clock";
import { createProxmoxSim } from "./index";
import { UPID_RE, call, upidPath } from "./testing";

function lab(vmsPerNode = 3, lxcPerNode = 1) {
  const clock = new SimClock("manual");
  return { clock, sim: createProxmoxSim({ nodes: 2, vmsPerNode, lxcPerNode, clock, seed: 11 }) };
}

async function taskStatus(sim: ReturnType<typeof lab>["sim"], node: string, upid: string) {
  return (await call(sim, "GET", `/nodes/${node}/tasks/${upidPath(upid)}/status`)).data;
}

describe("QEMU create", () => {
  it("locks the new VM while the task runs and writes the config when it ends", async () => {
    const { sim, clock } = lab();
    const r = await call(sim, "POST", "/nodes/pve1/qemu", {
      params: {
        vmid: 500,
        name: "web-01",
        memory: 2048,
        cores: 2,
        scsihw: "virtio-scsi-single",
        scsi0: "local-lvm:32,iothread=1",
        ide2: "local:iso/debian-12.8.0-amd64-netinst.iso,media=cdrom",
        ide0: "local-lvm:cloudinit",
        net0: "virtio,bridge=vmbr0,tag=20",
        net1: "model=e1000,bridge=vmbr1,macaddr=BC:24:11:00:00:01",
        ipconfig0: "ip=10.20.0.5/24,gw=10.20.0.1",
        ciuser: "ops",
      },
    });
    expect(r.status).toBe(200);
    expect(r.data).toMatch(UPID_RE);
    expect(r.data).toMatch(/^UPID:pve1:[0-9A-F]{8}:[0-9A-F]{8}:[0-9A-F]{8}:qmcreate:500:root@pam!outpost:$/);
    expect((await call(sim, "GET", "/nodes/pve1/qemu/500/config")).data).toEqual({ lock: "create", digest: expect.stringMatching(/^[0-9a-f]{40}$/) });
    const locked = await call(sim, "PUT", "/nodes/pve1/qemu/500/config", { params: { cores: 4 } });
    expect([locked.status, locked.body?.message]).toEqual([500, "VM is locked (create)\n"]);
    expect((await taskStatus(sim, "pve1", r.data)).status).toBe("running");
    clock.advance(3000);
    const done = await taskStatus(sim, "pve1", r.data);
    expect(done).toMatchObject({ status: "stopped", exitstatus: "OK", type: "qmcreate", id: "500", user: "root@pam", tokenid: "outpost" });
    const config = (await call(sim, "GET", "/nodes/pve1/qemu/500/config")).data;
    expect(config).toMatchObject({
      name: "web-01",
      memory: "2048",
      cores: 2,
      scsi0: "local-lvm:vm-500-disk-0,iothread=1,size=32G",
      ide2: "local:iso/debian-12.8.0-amd64-netinst.iso,media=cdrom",
      ide0: "local-lvm:vm-500-cloudinit,media=cdrom",
      net1: "e1000=BC:24:11:00:00:01,bridge=vmbr1",
      ipconfig0: "ip=10.20.0.5/24,gw=10.20.0.1",
      boot: "order=scsi0;ide0;net0",
    });
    expect(config.lock).toBeUndefined();
    expect(config.net0).toMatch(/^virtio=BC:24:11:[0-9A-F]{2}:[0-9A-F]{2}:[0-9A-F]{2},bridge=vmbr0,tag=20$/);
    expect(config.smbios1).toMatch(/^uuid=/);
    const content = await call(sim, "GET", "/nodes/pve1/storage/local-lvm/content", { params: { vmid: 500 } });
    expect(content.data.map((v: { volid: string }) => v.volid).sort()).toEqual(["local-lvm:vm-500-cloudinit", "local-lvm:vm-500-disk-0"]);
  });

  it("refuses a duplicate VMID synchronously with 500, naming the node that has it", async () => {
    const { sim } = lab();
    const existing = sim.guests("pve2")[0]!.vmid;
    const r = await call(sim, "POST", "/nodes/pve1/qemu", { params: { vmid: existing } });
    expect([r.status, r.body?.message]).toEqual([500, `unable to create VM ${existing} - VM ${existing} already exists on node 'pve2'\n`]);
  });

  it("requires media=cdrom for ISO volumes and rewrites the cdrom alias over ide2", async () => {
    const { sim, clock } = lab();
    const r = await call(sim, "POST", "/nodes/pve1/qemu", { params: { vmid: 501, ide2: "local:iso/debian-12.8.0-amd64-netinst.iso" } });
    expect([r.status, r.body?.errors]).toEqual([400, { ide2: "explicit 'media=cdrom' is required for iso images" }]);
    const alias = await call(sim, "POST", "/nodes/pve1/qemu", {
      params: { vmid: 502, ide2: "local-lvm:cloudinit", cdrom: "local:iso/debian-12.8.0-amd64-netinst.iso" },
    });
    expect(alias.status).toBe(200);
    clock.advance(5000);
    const config = (await call(sim, "GET", "/nodes/pve1/qemu/502/config")).data;
    expect(config.ide2).toBe("local:iso/debian-12.8.0-amd64-netinst.iso,media=cdrom");
    expect(config.cdrom).toBeUndefined();
  });

  it("checks new-disk storages: content type synchronously, space inside the task", async () => {
    const { sim, clock } = lab();
    const wrong = await call(sim, "POST", "/nodes/pve1/qemu", { params: { vmid: 503, scsi0: "local:32" } });
    expect([wrong.status, wrong.body?.errors]).toEqual([400, { storage: "storage 'local' does not support vm images" }]);
    const huge = await call(sim, "POST", "/nodes/pve1/qemu", { params: { vmid: 504, scsi0: "local-lvm:900000" } });
    expect(huge.status).toBe(200);
    clock.advance(5000);
    const status = await taskStatus(sim, "pve1", huge.data);
    expect(status.exitstatus).toMatch(/^unable to create VM 504 - lvcreate /);
    expect(sim.guest(504)).toBeUndefined();
    const log = await call(sim, "GET", `/nodes/pve1/tasks/${upidPath(huge.data)}/log`);
    expect(log.data.at(-1).t).toBe(`TASK ERROR: ${status.exitstatus}`);
    expect(log.body?.total).toBe(log.data.length);
  });
});

describe("QEMU power, config and destroy", () => {
  it("starts a VM when its task ends and refuses to destroy it while running", async () => {
    const { sim, clock } = lab();
    const vm = sim.guests("pve1").find((g) => g.type === "qemu" && g.status === "stopped" && g.config.template !== 1)!;
    const start = await call(sim, "POST", `/nodes/pve1/qemu/${vm.vmid}/status/start`);
    expect(sim.guest(vm.vmid)!.status).toBe("stopped");
    clock.advance(2000);
    expect((await taskStatus(sim, "pve1", start.data)).exitstatus).toBe("OK");
    const current = await call(sim, "GET", `/nodes/pve1/qemu/${vm.vmid}/status/current`);
    expect(current.data).toMatchObject({ status: "running", qmpstatus: "running", vmid: vm.vmid });
    const del = await call(sim, "DELETE", `/nodes/pve1/qemu/${vm.vmid}`);
    expect([del.status, del.body?.message]).toEqual([500, `VM ${vm.vmid} is running - destroy failed\n`]);
    await call(sim, "POST", `/nodes/pve1/qemu/${vm.vmid}/status/stop`);
    clock.advance(1000);
    const destroy = await call(sim, "DELETE", `/nodes/pve1/qemu/${vm.vmid}`, { params: { purge: 1 } });
    expect(destroy.status).toBe(200);
    clock.advance(2000);
    expect((await call(sim, "GET", `/nodes/pve1/qemu/${vm.vmid}/config`)).status).toBe(500);
    const volumes = await call(sim, "GET", "/nodes/pve1/storage/local-lvm/content", { params: { vmid: vm.vmid } });
    expect(volumes.data).toEqual([]);
  });

  it("reports errors found inside the worker only in exitstatus (missing bridge, already running)", async () => {
    const { sim, clock } = lab();
    await call(sim, "POST", "/nodes/pve1/qemu", { params: { vmid: 510, net0: "virtio,bridge=vmbr9" } });
    clock.advance(5000);
    const start = await call(sim, "POST", "/nodes/pve1/qemu/510/status/start");
    expect(start.status).toBe(200);
    clock.advance(2000);
    expect((await taskStatus(sim, "pve1", start.data)).exitstatus).toBe("bridge 'vmbr9' does not exist");
    const reboot = await call(sim, "POST", "/nodes/pve1/qemu/510/status/reboot");
    expect([reboot.status, reboot.body?.message]).toEqual([500, "VM 510 not running\n"]);
  });

  it("updates with digest checks and moves deleted disks to unused[n]", async () => {
    const { sim } = lab();
    const vm = sim.guests("pve1").find((g) => g.type === "qemu" && g.config.template !== 1)!;
    const before = (await call(sim, "GET", `/nodes/pve1/qemu/${vm.vmid}/config`)).data;
    const stale = await call(sim, "PUT", `/nodes/pve1/qemu/${vm.vmid}/config`, { params: { cores: 6, digest: "0".repeat(40) } });
    expect([stale.status, stale.body?.message]).toEqual([500, "detected modified configuration - file changed by other user? Try again.\n"]);
    const ok = await call(sim, "PUT", `/nodes/pve1/qemu/${vm.vmid}/config`, { params: { cores: 6, digest: before.digest, delete: "scsi0" } });
    expect([ok.status, ok.data]).toEqual([200, null]);
    const after = (await call(sim, "GET", `/nodes/pve1/qemu/${vm.vmid}/config`)).data;
    expect(after.cores).toBe(6);
    expect(after.scsi0).toBeUndefined();
    expect(after.unused0).toBe(before.scsi0.split(",")[0]);
    const both = await call(sim, "PUT", `/nodes/pve1/qemu/${vm.vmid}/config`, { params: { cores: 2, delete: "cores" } });
    expect(both.body?.errors).toEqual({ delete: "you can't use '-cores' and -delete cores' at the same time" });
  });

  it("clones a template with new MACs and disks", async () => {
    const { sim, clock } = lab(5, 0);
    const tpl = sim.guests("pve1").find((g) => g.config.template === 1)!;
    const r = await call(sim, "POST", `/nodes/pve1/qemu/${tpl.vmid}/clone`, { params: { newid: 700, name: "from-tpl" } });
    expect(r.data).toMatch(/:qmclone:/);
    expect(sim.guest(tpl.vmid)!.config.lock).toBe("clone");
    clock.advance(6000);
    const config = (await call(sim, "GET", "/nodes/pve1/qemu/700/config")).data;
    expect(config.name).toBe("from-tpl");
    expect(config.template).toBeUndefined();
    expect(config.scsi0).toMatch(/^local-lvm:vm-700-disk-0,/);
    expect(config.net0).not.toBe(tpl.config.net0);
    expect(sim.guest(tpl.vmid)!.config.lock).toBeUndefined();
  });
});

describe("tasks", () => {
  it("lists tasks with filters and total, and a stopped task fails with `received interrupt`", async () => {
    const { sim, clock } = lab();
    const r = await call(sim, "POST", "/nodes/pve1/qemu", { params: { vmid: 520 } });
    const active = await call(sim, "GET", "/nodes/pve1/tasks", { params: { source: "active" } });
    expect(active.data.map((t: { upid: string }) => t.upid)).toEqual([r.data]);
    expect((await call(sim, "GET", "/nodes/pve1/tasks")).body?.total).toBe(0);
    expect((await call(sim, "DELETE", `/nodes/pve1/tasks/${upidPath(r.data)}`)).status).toBe(200);
    expect(await taskStatus(sim, "pve1", r.data)).toMatchObject({ status: "stopped", exitstatus: "received interrupt" });
    expect(sim.guest(520)).toBeUndefined();
    clock.advance(1000);
    const archive = await call(sim, "GET", "/nodes/pve1/tasks", { params: { errors: 1, vmid: 520, typefilter: "qmcreate" } });
    expect(archive.body?.total).toBe(1);
    expect(archive.data[0]).toMatchObject({ upid: r.data, status: "received interrupt", type: "qmcreate", id: "520" });
  });

  it("rejects malformed and unknown UPIDs with PVE's parameter errors", async () => {
    const { sim } = lab();
    const bad = await call(sim, "GET", "/nodes/pve1/tasks/UPID:pve-01:mock-1a2b3c4d:qmcreate/status");
    expect(bad.body?.errors).toEqual({ upid: "unable to parse worker upid" });
    const unknown = await call(sim, "GET", `/nodes/pve1/tasks/${upidPath("UPID:pve1:00001234:00ABCDEF:6759F3A1:qmstart:100:root@pam:")}/status`);
    expect(unknown.body?.errors).toEqual({ upid: "no such task" });
  });

  it("injects WARNINGS and errors into the next matching task (by method and by control route)", async () => {
    const { sim, clock } = lab();
    const vm = sim.guests("pve1").find((g) => g.type === "qemu" && g.status === "stopped" && g.config.template !== 1)!;
    sim.injectTaskFault({ type: "qmstart", warnings: 2 });
    const start = await call(sim, "POST", `/nodes/pve1/qemu/${vm.vmid}/status/start`);
    clock.advance(2000);
    expect((await taskStatus(sim, "pve1", start.data)).exitstatus).toBe("WARNINGS: 2");
    expect(sim.guest(vm.vmid)!.status).toBe("running");
    const control = await sim.harness.fetch(
      new Request("http://sim/_sim/proxmox/task-faults", { method: "PUT", body: JSON.stringify({ type: "qmstop", error: "timeout waiting on systemd" }) }),
    );
    expect(control.status).toBe(200);
    const stop = await call(sim, "POST", `/nodes/pve1/qemu/${vm.vmid}/status/stop`);
    clock.advance(1000);
    expect((await taskStatus(sim, "pve1", stop.data)).exitstatus).toBe("timeout waiting on systemd");
    expect(sim.guest(vm.vmid)!.status).toBe("running");
  });
});

describe("LXC", () => {
  it("creates a container from an existing template with PVE's defaults", async () => {
    const { sim, clock } = lab();
    const missing = await call(sim, "POST", "/nodes/pve1/lxc", { params: { vmid: 600, ostemplate: "local:vztmpl/nope.tar.zst" } });
    expect([missing.status, missing.body?.message]).toEqual([500, "volume 'local:vztmpl/nope.tar.zst' does not exist\n"]);
    const r = await call(sim, "POST", "/nodes/pve1/lxc", {
      params: { vmid: 600, ostemplate: "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst", rootfs: "local-lvm:8", net0: "name=eth0,bridge=vmbr0,ip=dhcp", hostname: "ct-test" },
    });
    expect(r.data).toMatch(/:vzcreate:600:/);
    const locked = await call(sim, "POST", "/nodes/pve1/lxc/600/status/start");
    expect(locked.body?.message).toBe("CT is locked (create)\n");
    clock.advance(6000);
    const config = (await call(sim, "GET", "/nodes/pve1/lxc/600/config")).data;
    expect(config).toMatchObject({ hostname: "ct-test", memory: 512, swap: 512, unprivileged: 1, ostype: "debian", rootfs: "local-lvm:vm-600-disk-0,size=8G" });
    expect(config.net0).toMatch(/^name=eth0,bridge=vmbr0,hwaddr=BC:24:11:[0-9A-F:]{8},ip=dhcp,type=veth$/);
  });

  it("fails inside the task when the default rootfs storage cannot hold containers", async () => {
    const { sim, clock } = lab();
    const r = await call(sim, "POST", "/nodes/pve1/lxc", { params: { vmid: 601, ostemplate: "local:vztmpl/alpine-3.20-default_20240908_amd64.tar.xz" } });
    clock.advance(6000);
    expect((await taskStatus(sim, "pve1", r.data)).exitstatus).toBe("unable to create CT 601 - storage 'local' does not support container directories");
  });

  it("refuses to destroy a running container unless forced, and an HA-managed one unless purged", async () => {
    const { sim, clock } = lab(0, 2);
    const ha = (await call(sim, "GET", "/cluster/ha/resources")).data;
    expect(ha).toHaveLength(1);
    const vmid = Number(ha[0].sid.replace("ct:", ""));
    if (sim.guest(vmid)!.status !== "running") {
      await call(sim, "POST", `/nodes/pve1/lxc/${vmid}/status/start`);
      clock.advance(2000);
    }
    const r = await call(sim, "DELETE", `/nodes/pve1/lxc/${vmid}`);
    expect(r.body?.message).toBe(`unable to destroy CT ${vmid} - container is running\n`);
    const unpurged = await call(sim, "DELETE", `/nodes/pve1/lxc/${vmid}`, { params: { force: 1 } });
    expect(unpurged.body?.message).toBe(`unable to remove CT ${vmid} - used in HA resources and purge parameter not set.\n`);
    expect((await call(sim, "DELETE", `/nodes/pve1/lxc/${vmid}`, { params: { force: 1, purge: 1 } })).status).toBe(200);
    clock.advance(2000);
    expect(sim.guest(vmid)).toBeUndefined();
    expect((await call(sim, "GET", "/cluster/ha/resources")).data).toEqual([]);
    expect((await call(sim, "GET", "/cluster/replication")).data).toEqual([]);
  });
});

describe("snapshots and backups", () => {
  it("creates, lists (with current), rolls back and deletes snapshots", async () => {
    const { sim, clock } = lab();
    const vm = sim.guests("pve1").find((g) => g.type === "qemu" && g.config.template !== 1 && g.snapshots.size === 0)!;
    const create = await call(sim, "POST", `/nodes/pve1/qemu/${vm.vmid}/snapshot`, { params: { snapname: "before", description: "test" } });
    expect(create.data).toMatch(/:qmsnapshot:/);
    expect((await call(sim, "POST", `/nodes/pve1/qemu/${vm.vmid}/snapshot`, { params: { snapname: "other" } })).body?.message).toBe("VM is locked (snapshot)\n");
    clock.advance(3000);
    await call(sim, "PUT", `/nodes/pve1/qemu/${vm.vmid}/config`, { params: { cores: 7 } });
    const list = (await call(sim, "GET", `/nodes/pve1/qemu/${vm.vmid}/snapshot`)).data;
    expect(list.map((s: { name: string }) => s.name)).toEqual(["before", "current"]);
    expect(list[1]).toMatchObject({ parent: "before", description: "You are here!" });
    const dup = await call(sim, "POST", `/nodes/pve1/qemu/${vm.vmid}/snapshot`, { params: { snapname: "before" } });
    expect(dup.body?.message).toBe("snapshot name 'before' already used\n");
    await call(sim, "POST", `/nodes/pve1/qemu/${vm.vmid}/snapshot/before/rollback`);
    clock.advance(3000);
    expect((await call(sim, "GET", `/nodes/pve1/qemu/${vm.vmid}/config`)).data.cores).toBe(vm.config.cores);
    await call(sim, "DELETE", `/nodes/pve1/qemu/${vm.vmid}/snapshot/before`);
    clock.advance(2000);
    expect((await call(sim, "GET", `/nodes/pve1/qemu/${vm.vmid}/snapshot`)).data.map((s: { name: string }) => s.name)).toEqual(["current"]);
    const missing = await call(sim, "DELETE", `/nodes/pve1/qemu/${vm.vmid}/snapshot/nope`);
    expect(missing.body?.message).toBe("snapshot 'nope' does not exist\n");
  });

  it("vzdump creates backup volumes in storage content when its task ends", async () => {
    const { sim, clock } = lab();
    const vm = sim.guests("pve1").find((g) => g.type === "qemu" && g.config.template !== 1)!;
    const r = await call(sim, "POST", "/nodes/pve1/vzdump", { params: { vmid: vm.vmid, storage: "local", compress: "zstd", mode: "snapshot", "notes-template": "{{guestname}} on {{node}}" } });
    expect(r.data).toMatch(new RegExp(`:vzdump:${vm.vmid}:`));
    expect(sim.guest(vm.vmid)!.config.lock).toBe("backup");
    const before = (await call(sim, "GET", "/nodes/pve1/storage/local/content", { params: { content: "backup", vmid: vm.vmid } })).data.length;
    clock.advance(9000);
    const after = (await call(sim, "GET", "/nodes/pve1/storage/local/content", { params: { content: "backup", vmid: vm.vmid } })).data;
    expect(after.length).toBe(before + 1);
    const newest = after.find((v: { volid: string }) => v.volid.includes("2026_11_01-08_00_00"));
    expect(newest).toMatchObject({ content: "backup", format: "vma.zst", notes: `${vm.config.name} on pve1` });
    expect(sim.guest(vm.vmid)!.config.lock).toBeUndefined();
    const wrongStore = await call(sim, "POST", "/nodes/pve1/vzdump", { params: { vmid: vm.vmid, storage: "local-lvm" } });
    expect(wrongStore.body?.message).toBe("storage 'local-lvm' does not support backups\n");
  });
});
