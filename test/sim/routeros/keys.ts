/**
 * WireGuard key pairs for simulated interfaces: base64 of 32 bytes like real keys. The public key is a
 * deterministic digest of the private one, not Curve25519: nothing in the lab does cryptography with them.
 */
import type { Rng } from "../common/rng";
import { invalidValue } from "./errors";

function toBase64(hex: string): string {
  let binary = "";
  for (let i = 0; i < hex.length; i += 2) binary += String.fromCharCode(parseInt(hex.slice(i, i + 2), 16));
  return btoa(binary);
}

function digestHex(text: string): string {
  let out = "";
  let h = 0x811c9dc5;
  for (let round = 0; round < 8; round++) {
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
    h = Math.imul(h ^ round, 0x9e3779b1) >>> 0;
    out += h.toString(16).padStart(8, "0");
  }
  return out;
}

export function wireguardKeyPair(rng: Rng, privateKey?: string): { privateKey: string; publicKey: string } {
  if (privateKey !== undefined && !/^[A-Za-z0-9+/]{43}=$/.test(privateKey)) throw invalidValue("private-key");
  const key = privateKey ?? toBase64(rng.hex(32));
  return { privateKey: key, publicKey: toBase64(digestHex(key)) };
}
