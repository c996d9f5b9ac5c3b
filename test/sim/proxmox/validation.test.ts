/** Wrong calls fail the way PVE fails them: status, message and per-parameter errors. */
import { describe, expect, it } from "vitest";
import { createProxmoxSim } from "./index";
import { call } from "./testing";

const sim = createProxmoxSim({ nodes: 2, vmsPerNode: 3, seed: 7 });

describe("PVE parameter validation", () => {
  it("rejects unknown parameters, string booleans and property-string range errors together", async () => {
    const r = await call(sim, "POST", "/nodes/pve1/qemu", { params: { vmid: 900, onboot: "true", foo: "1", net0: "virtio,bridge=vmbr0,tag=5000" } });
    expect(r.status).toBe(400);
    expect(r.statusText).toBe("Parameter verification failed.");
    expect(r.body).toEqual({
      data: null,
      message: "Parameter verification failed.\n",
      errors: {
        onboot: "type check ('boolean') failed - got 'true'",
        foo: "property is not defined in schema and the schema does not allow additional properties",
        net0: "invalid format - format error\nnet0.tag: value must have a maximum value of 4094\n",
      },
    });
    expect(sim.guest(900)).toBeUndefined();
  });

  it("reports missing required parameters, enums, ranges, lengths and patterns with PVE's messages", async () => {
    const r = await call(sim, "POST", "/nodes/pve1/qemu", {
      params: { cores: 0, ostype: "linux", description: "x".repeat(8193), bootdisk: "floppy0", vmid: "abc" },
    });
    expect(r.status).toBe(400);
    expect(r.body?.errors).toEqual({
      vmid: "type check ('integer') failed - got 'abc'",
      cores: "value must have a minimum value of 1",
      ostype: "value 'linux' does not have a value in the enumeration 'other, wxp, w2k, w2k3, w2k8, wvista, win7, win8, win10, win11, l24, l26, solaris'",
      description: "value may only be 8192 characters long",
      bootdisk: "value does not match the regex pattern",
    });
    const missing = await call(sim, "POST", "/nodes/pve1/lxc", { params: { vmid: 901 } });
    expect(missing.body?.errors).toEqual({ ostemplate: "property is missing and it is not optional" });
  });

  it("checks property-string keys: unknown, duplicate, missing default key, nested formats", async () => {
    const r = await call(sim, "POST", "/nodes/pve1/qemu", {
      params: {
        vmid: 902,
        net0: "virtio,bridge=vmbr0,colour=red",
        net1: "virtio,e1000",
        net2: "bridge=vmbr0",
        ipconfig0: "ip=10.0.0.5/24,ip6=dhcp6",
        scsi0: "local-lvm:32,cache=fast",
      },
    });
    expect(r.body?.errors).toEqual({
      net0: "invalid format - invalid key in comma-separated list property: colour\n",
      net1: "invalid format - duplicate key in comma-separated list property: model\n",
      net2: "invalid format - format error\nnet2.model: property is missing and it is not optional\n",
      ipconfig0: "invalid format - format error\nipconfig0.ip6: invalid format - value does not look like a valid ipv6 network configuration\n",
      scsi0: "invalid format - format error\nscsi0.cache: value 'fast' does not have a value in the enumeration 'none, writethrough, writeback, unsafe, directsync'\n",
    });
  });

  it("knows the real index ranges of indexed options", async () => {
    const r = await call(sim, "POST", "/nodes/pve1/qemu", { params: { vmid: 903, net32: "virtio,bridge=vmbr0", ide4: "none,media=cdrom", scsi30: "local-lvm:1" } });
    expect(r.body?.errors).toEqual({
      net32: "property is not defined in schema and the schema does not allow additional properties",
      ide4: "property is not defined in schema and the schema does not allow additional properties",
    });
  });

  it("accepts JSON bodies with real booleans and numbers", async () => {
    const r = await call(sim, "POST", "/nodes/pve1/qemu", { json: { vmid: 904, onboot: true, cores: 2, net0: "virtio,bridge=vmbr0" } });
    expect(r.status).toBe(200);
    expect(r.data).toMatch(/^UPID:pve1:/);
  });

  it("refuses a body on DELETE (and GET) with 501", async () => {
    const r = await call(sim, "DELETE", "/nodes/pve1/qemu/100", { rawBody: "purge=1" });
    expect(r.status).toBe(501);
    expect(r.body?.message).toBe("Unexpected content for method 'DELETE'\n");
    expect(sim.guest(100)).toBeDefined();
  });

  it("answers unknown paths and methods with 501 and PVE's message", async () => {
    const r = await call(sim, "GET", "/foo");
    expect(r.status).toBe(501);
    expect(r.statusText).toBe("Method 'GET /foo' not implemented");
    expect(r.body).toEqual({ data: null, message: "Method 'GET /foo' not implemented\n" });
    const wrongMethod = await call(sim, "PUT", "/version");
    expect(wrongMethod.status).toBe(501);
  });

  it("fails an unknown node in the proxy step and a missing VM with the config-file error", async () => {
    const node = await call(sim, "GET", "/nodes/pve9/qemu");
    expect(node.status).toBe(500);
    expect(node.body?.message).toMatch(/^hostname lookup 'pve9' failed/);
    const vm = await call(sim, "GET", "/nodes/pve1/qemu/999/config");
    expect(vm.status).toBe(500);
    expect(vm.body?.message).toBe("Configuration file 'nodes/pve1/qemu-server/999.conf' does not exist\n");
  });

  it("refuses a body parameter that conflicts with the path", async () => {
    const r = await call(sim, "POST", "/nodes/pve1/qemu/100/status/start", { params: { vmid: 101 } });
    expect(r.status).toBe(400);
    expect(r.body?.errors?.vmid).toMatch(/^duplicate parameter/);
  });

  it("validates named formats such as pve-vmid-list, mac-addr and dns-name", async () => {
    const r = await call(sim, "POST", "/nodes/pve1/qemu", { params: { vmid: 905, name: "bad_name!", net0: "virtio=01:00:00:00:00:01,bridge=vmbr0" } });
    expect(r.body?.errors).toEqual({
      name: "invalid format - value does not look like a valid DNS name\n",
      net0: "invalid format - format error\nnet0.macaddr: invalid format - value does not look like a valid unicast MAC address\n",
    });
    const dump = await call(sim, "POST", "/nodes/pve1/vzdump", { params: { vmid: "100,abc" } });
    expect(dump.body?.errors).toEqual({ vmid: "invalid format - value does not look like a valid VM ID\n" });
  });

  it("enforces `requires` between parameters", async () => {
    const r = await call(sim, "POST", "/nodes/pve1/qemu", { params: { vmid: 906, unique: 1 } });
    expect(r.body?.errors).toEqual({ archive: "missing property - 'unique' requires this property" });
  });
});
