#!/usr/bin/env python3
"""An independent client for the PVE simulator: Debian's python3-proxmoxer (1.2.0) over HTTPS.

Logs in with an API token, lists nodes and VMs, creates and starts a VM and waits for each task; then logs in
with a password (ticket + CSRF) and provokes the errors a real server gives. Prints one JSON document with what
it saw, for the conformance test to check.

Usage: proxmoxer_client.py <port> <token_id> <token_secret> <root_password> <node>
"""
import json
import sys
import time

from proxmoxer import ProxmoxAPI
from proxmoxer.core import ResourceException


def wait_for(api, node, upid, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = api.nodes(node).tasks(upid).status.get()
        if status["status"] == "stopped":
            return status
        time.sleep(0.1)
    raise RuntimeError("task %s did not finish" % upid)


def failure(call):
    try:
        call()
    except ResourceException as err:
        return {"status_code": err.status_code, "status_message": err.status_message, "content": err.content}
    return None


def main():
    port, token_id, secret, root_password, node = sys.argv[1:6]
    user, token_name = token_id.split("!")
    api = ProxmoxAPI("127.0.0.1", port=int(port), user=user, token_name=token_name, token_value=secret, verify_ssl=False)
    out = {}
    out["version"] = api.version.get()
    out["nodes"] = sorted(n["node"] for n in api.nodes.get())
    out["vms_before"] = len(api.nodes(node).qemu.get())
    vmid = int(api.cluster.nextid.get())
    out["vmid"] = vmid
    upid = api.nodes(node).qemu.post(
        vmid=vmid,
        name="proxmoxer-vm",
        memory="1024",
        cores=1,
        onboot=1,
        scsihw="virtio-scsi-single",
        scsi0="local-lvm:8",
        net0="virtio,bridge=vmbr0,tag=42",
    )
    out["create_upid"] = upid
    out["create"] = wait_for(api, node, upid)
    out["start_upid"] = api.nodes(node).qemu(vmid).status.start.post()
    out["start"] = wait_for(api, node, out["start_upid"])
    out["status"] = api.nodes(node).qemu(vmid).status.current.get()
    out["config"] = api.nodes(node).qemu(vmid).config.get()
    out["vms_after"] = len(api.nodes(node).qemu.get())
    out["log"] = api.nodes(node).tasks(upid).log.get()

    out["bad_boolean"] = failure(lambda: api.nodes(node).qemu.post(vmid=vmid + 1000, onboot="true"))
    out["duplicate"] = failure(lambda: api.nodes(node).qemu.post(vmid=vmid))
    out["running_delete"] = failure(lambda: api.nodes(node).qemu(vmid).delete())
    bad_token = ProxmoxAPI("127.0.0.1", port=int(port), user=user, token_name=token_name, token_value="nope", verify_ssl=False)
    out["bad_token"] = failure(lambda: bad_token.nodes.get())

    ticket_api = ProxmoxAPI("127.0.0.1", port=int(port), user="root@pam", password=root_password, verify_ssl=False)
    ticket_api.pools.post(poolid="proxmoxer", comment="made over a ticket")
    out["pools"] = sorted(p["poolid"] for p in ticket_api.pools.get())
    out["tokens_with_ticket"] = [t is not None for t in ticket_api.get_tokens()]

    print(json.dumps(out))


if __name__ == "__main__":
    main()
