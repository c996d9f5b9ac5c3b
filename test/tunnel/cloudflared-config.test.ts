import { describe, expect, it } from "vitest";
import { validateCloudflaredConfig } from "../../tunnel/cloudflared-config";
import example from "../../tunnel/config.example.yml?raw";

const base = (ingress: string, extra = "") => `tunnel: 6ff42ae2-765d-4adf-8112-31c55c1551ef
credentials-file: /etc/cloudflared/x.json
${extra}
ingress:
${ingress}`;

describe("cloudflared config validation", () => {
  it("accepts the shipped example", () => {
    expect(validateCloudflaredConfig(example)).toEqual({ errors: [], warnings: [] });
  });

  it.each([
    ["a last rule that is not a catch-all", "  - hostname: a.example.com\n    service: http://10.0.0.1:80", "The last ingress rule must match all URLs"],
    ["a catch-all before the end", "  - service: http_status:404\n  - hostname: a.example.com\n    service: http://10.0.0.1:80", "only the last rule"],
    ["a hostname with a port", "  - hostname: a.example.com:8443\n    service: http://10.0.0.1:80\n  - service: http_status:404", "Hostname cannot contain a port"],
    ["a wildcard not in front", "  - hostname: a.*.example.com\n    service: http://10.0.0.1:80\n  - service: http_status:404", "at most one wildcard"],
    ["a service with a path", "  - hostname: a.example.com\n    service: http://10.0.0.1:80/api\n  - service: http_status:404", "different path"],
    ["a bad status", "  - service: http_status:1000", "between 100 and 999"],
    ["a service without scheme", "  - service: 10.0.0.1:80", "scheme"],
    ["a bad path regex", "  - hostname: a.example.com\n    path: \"(\"\n    service: http://10.0.0.1:80\n  - service: http_status:404", "regular expression"],
    ["an unknown originRequest key", "  - hostname: a.example.com\n    service: http://10.0.0.1:80\n    originRequest: { noTlsVerify: true }\n  - service: http_status:404", "noTlsVerify"],
    ["audTag without teamName", "  - hostname: a.example.com\n    service: http://10.0.0.1:80\n    originRequest: { access: { required: true, audTag: [x] } }\n  - service: http_status:404", "teamName cannot be blank"],
  ])("rejects %s", (_name, ingress, message) => {
    const report = validateCloudflaredConfig(base(ingress));
    expect(report.errors.join("\n")).toContain(message);
  });

  it("rejects a tunnel that is not a UUID and YAML that does not parse", () => {
    expect(validateCloudflaredConfig("tunnel: abc\ncredentials-file: x\ningress:\n  - service: http_status:404").errors[0]).toMatch(/UUID/);
    expect(validateCloudflaredConfig("ingress: [").errors[0]).toMatch(/YAML/);
  });

  it("warns about https origins without certificate handling and about non-QUIC tunnels", () => {
    const report = validateCloudflaredConfig(base("  - hostname: pve.example.com\n    service: https://10.0.0.10:8006\n  - service: http_status:404", "protocol: http2"));
    expect(report.errors).toEqual([]);
    expect(report.warnings.join("\n")).toMatch(/noTLSVerify/);
    expect(report.warnings.join("\n")).toMatch(/quic/);
  });
});
