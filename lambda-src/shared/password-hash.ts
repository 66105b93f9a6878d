/**
 * Password hashes as self-describing strings, so the work factor can be raised later and every
 * stored hash still verifies:
 *
 *   $scrypt$ln=16,r=8,p=2$<salt, base64 unpadded>$<hash, base64 unpadded>
 *
 * scrypt comes from Node's own crypto (no native add-on to build). bcrypt hashes
 * (`$2a$`/`$2b$`/`$2y$`) imported from older tables verify too and are reported as needing a
 * rehash, so they are replaced by scrypt at the user's next successful login.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";
import bcrypt from "bcryptjs";

export interface ScryptParameters {
  /** log2 of the CPU/memory cost N. */
  readonly ln: number;
  readonly r: number;
  readonly p: number;
}

/**
 * OWASP lists N=2^17,r=8,p=1 and N=2^16,r=8,p=2 as equivalent minimums (same CPU cost, N·p);
 * the second needs 64 MiB instead of 128 MiB, which leaves a 256 MB Lambda room for the runtime.
 * https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html#scrypt
 */
export const currentScryptParameters: ScryptParameters = { ln: 16, r: 8, p: 2 };

export type HashDescription =
  | { readonly algorithm: "scrypt"; readonly parameters: ScryptParameters }
  | { readonly algorithm: "bcrypt"; readonly cost: number };

const saltBytes = 16;
const keyBytes = 32;

// Bounds keep a tampered or mistyped stored hash from asking for gigabytes or minutes of work.
const scryptPattern = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]{22})\$([A-Za-z0-9+/]{43})$/;
const scryptLimits = { ln: [10, 20], r: [1, 32], p: [1, 16] } as const;
const scryptMaxMemoryBytes = 256 * 2 ** 20;
const bcryptPattern = /^\$2[aby]\$(\d{2})\$[./A-Za-z0-9]{53}$/;
const bcryptCostLimits = [4, 16] as const;

interface ParsedScrypt {
  readonly parameters: ScryptParameters;
  readonly salt: Buffer;
  readonly hash: Buffer;
}

function parseScrypt(stored: string): ParsedScrypt | undefined {
  const match = scryptPattern.exec(stored);
  if (match === null) return undefined;
  const [, ln, r, p, salt, hash] = match.map(String);
  const parameters = { ln: Number(ln), r: Number(r), p: Number(p) };
  const within = (value: number, [min, max]: readonly [number, number]): boolean => value >= min && value <= max;
  if (!within(parameters.ln, scryptLimits.ln) || !within(parameters.r, scryptLimits.r)) return undefined;
  if (!within(parameters.p, scryptLimits.p) || memoryBytes(parameters) > scryptMaxMemoryBytes) return undefined;
  return { parameters, salt: Buffer.from(salt ?? "", "base64"), hash: Buffer.from(hash ?? "", "base64") };
}

/** What a stored hash is, or undefined when it is neither a well-formed scrypt nor bcrypt hash. */
export function describeHash(stored: string): HashDescription | undefined {
  const parsed = parseScrypt(stored);
  if (parsed !== undefined) return { algorithm: "scrypt", parameters: parsed.parameters };
  const bcryptMatch = bcryptPattern.exec(stored);
  const cost = Number(bcryptMatch?.[1]);
  if (bcryptMatch === null || cost < bcryptCostLimits[0] || cost > bcryptCostLimits[1]) return undefined;
  return { algorithm: "bcrypt", cost };
}

function memoryBytes({ ln, r, p }: ScryptParameters): number {
  // OpenSSL's exact requirement: the V array (128·r·(N+2)) plus the B array (128·r·p).
  return 128 * r * (2 ** ln + p + 2);
}

function scryptAsync(password: string, salt: Buffer, parameters: ScryptParameters): Promise<Buffer> {
  const options: ScryptOptions = {
    N: 2 ** parameters.ln,
    r: parameters.r,
    p: parameters.p,
    maxmem: memoryBytes(parameters),
  };
  // NIST SP 800-63B §5.1.1.2: normalize so the same password typed on two keyboards matches.
  const normalized = password.normalize("NFKC");
  return new Promise((resolve, reject) => {
    scrypt(normalized, salt, keyBytes, options, (error, key) => {
      if (error === null) resolve(key);
      else reject(error);
    });
  });
}

export async function hashPassword(
  password: string,
  parameters: ScryptParameters = currentScryptParameters,
): Promise<string> {
  const salt = randomBytes(saltBytes);
  const hash = await scryptAsync(password, salt, parameters);
  const encode = (bytes: Buffer): string => bytes.toString("base64").replace(/=+$/, "");
  return `$scrypt$ln=${parameters.ln},r=${parameters.r},p=${parameters.p}$${encode(salt)}$${encode(hash)}`;
}

/** False for a wrong password and for a stored value that is not a hash this module understands. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseScrypt(stored);
  if (parsed !== undefined) {
    const candidate = await scryptAsync(password, parsed.salt, parsed.parameters);
    return timingSafeEqual(candidate, parsed.hash);
  }
  // bcrypt hashes were made from the raw password by the system they were imported from.
  if (describeHash(stored)?.algorithm === "bcrypt") return bcrypt.compare(password, stored);
  return false;
}

/** True when the stored hash is bcrypt or scrypt cheaper in memory or CPU than `parameters`. */
export function needsRehash(stored: string, parameters: ScryptParameters = currentScryptParameters): boolean {
  const description = describeHash(stored);
  if (description === undefined) return false;
  if (description.algorithm === "bcrypt") return true;
  const { ln, r, p } = description.parameters;
  const memory = 2 ** ln * r;
  const work = memory * p;
  return memory < 2 ** parameters.ln * parameters.r || work < 2 ** parameters.ln * parameters.r * parameters.p;
}
