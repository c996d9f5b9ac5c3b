/**
 * Offline validation of a cloudflared `config.yml`, mirroring cloudflared's own ingress rules (`validateIngress`,
 * `validateHostname` in cloudflare/cloudflared): the build machines have no cloudflared binary, and a tunnel that
 * fails to start on-prem is found too late. Run `cloudflared tunnel --config … ingress validate` on the host as well.
 */
import { parse } from "yaml";
import { z } from "zod";

const ORIGIN_REQUEST_KEYS = [
  "connectTimeout",
  "tlsTimeout",
  "tcpKeepAlive",
  "noHappyEyeballs",
  "keepAliveConnections",
  "keepAliveTimeout",
  "httpHostHeader",
  "originServerName",
  "matchSNItoHost",
  "caPool",
  "noTLSVerify",
  "disableChunkedEncoding",
  "bastionMode",
  "proxyAddress",
  "proxyPort",
  "proxyType",
  "ipRules",
  "http2Origin",
  "access",
] as const;

const AccessSchema = z
  .object({ required: z.boolean().optional(), teamName: z.string().optional(), audTag: z.array(z.string()).optional(), environment: z.string().optional() })
  .strict()
  .refine((a) => !(a.audTag?.length && !a.teamName), "access.teamName cannot be blank when access.audTag is present");

const OriginRequestSchema = z
  .object(Object.fromEntries(ORIGIN_REQUEST_KEYS.map((k) => [k, k === "access" ? AccessSchema.optional() : z.unknown().optional()])))
  .strict();

const RuleSchema = z.object({ hostname: z.string().optional(), path: z.string().optional(), service: z.string().min(1), originRequest: OriginRequestSchema.optional() }).strict();

const ConfigSchema = z
  .object({
    tunnel: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, "tunnel must be the tunnel's UUID"),
    "credentials-file": z.string().min(1),
    ingress: z.array(RuleSchema).min(1, "ingress needs at least the catch-all rule"),
    originRequest: OriginRequestSchema.optional(),
    "warp-routing": z.object({ enabled: z.boolean() }).strict().optional(),
    protocol: z.enum(["quic", "http2", "auto"]).optional(),
    metrics: z.string().optional(),
    loglevel: z.string().optional(),
    "no-autoupdate": z.boolean().optional(),
  })
  .strict();

export interface ConfigReport {
  errors: string[];
  warnings: string[];
}

function serviceError(service: string): string | null {
  if (/^http_status:\d+$/.test(service)) {
    const code = Number(service.slice("http_status:".length));
    return code >= 100 && code <= 999 ? null : "http_status must be between 100 and 999";
  }
  if (["hello_world", "bastion", "socks-proxy"].includes(service)) return null;
  if (/^unix(\+tls)?:.+/.test(service)) return null;
  let url: URL;
  try {
    url = new URL(service);
  } catch {
    return "service needs a scheme and a host, e.g. https://10.0.0.10:8006";
  }
  if (!["http:", "https:", "tcp:", "ssh:", "rdp:"].includes(url.protocol)) return `service scheme ${url.protocol} is not supported`;
  if (!url.hostname) return "service needs a host";
  if ((url.protocol === "http:" || url.protocol === "https:") && url.pathname !== "/" && url.pathname !== "") {
    return "ingress rules don't support proxying to a different path on the origin service";
  }
  return null;
}

function hostnameError(hostname: string): string | null {
  if (hostname === "*" || hostname === "") return null;
  if (/:\d+$/.test(hostname)) return "Hostname cannot contain a port";
  if (hostname.lastIndexOf("*") > 0) return "Hostname patterns can have at most one wildcard character (\"*\") and it can only be used for subdomains, e.g. \"*.example.com\"";
  return null;
}

const isCatchAll = (rule: z.infer<typeof RuleSchema>) => (!rule.hostname || rule.hostname === "*") && !rule.path;

export function validateCloudflaredConfig(text: string): ConfigReport {
  const errors: string[] = [];
  const warnings: string[] = [];
  let document: unknown;
  try {
    document = parse(text);
  } catch (err) {
    return { errors: [`not valid YAML: ${err instanceof Error ? err.message : String(err)}`], warnings };
  }
  const parsed = ConfigSchema.safeParse(document);
  if (!parsed.success) {
    return { errors: parsed.error.issues.map((i) => `${i.path.join(".") || "config"}: ${i.message}`), warnings };
  }
  const config = parsed.data;
  config.ingress.forEach((rule, i) => {
    const where = `ingress[${i}]`;
    const service = serviceError(rule.service);
    if (service) errors.push(`${where}.service: ${service}`);
    const host = rule.hostname === undefined ? null : hostnameError(rule.hostname);
    if (host) errors.push(`${where}.hostname: ${host}`);
    if (rule.path !== undefined) {
      try {
        new RegExp(rule.path);
      } catch {
        errors.push(`${where}.path: not a valid regular expression`);
      }
    }
    const last = i === config.ingress.length - 1;
    if (last && !isCatchAll(rule)) errors.push("The last ingress rule must match all URLs (i.e. it should not have a hostname or path filter)");
    if (!last && isCatchAll(rule)) errors.push(`${where}: only the last rule may match all URLs; rules after it can never match`);
    const noVerify = rule.originRequest?.noTLSVerify ?? config.originRequest?.noTLSVerify;
    if (rule.service.startsWith("https://") && noVerify !== true && !rule.originRequest?.caPool) {
      warnings.push(`${where}: https origin without noTLSVerify or caPool; Proxmox and RouterOS use self-signed certificates`);
    }
  });
  if (config.protocol !== undefined && config.protocol !== "quic") warnings.push("Workers VPC needs the tunnel to use protocol: quic");
  return { errors, warnings };
}
