/**
 * Stored passwords. New hashes are scrypt (`$scrypt$ln=14,r=8,p=1$<salt>$<hash>`); PBKDF2
 * (passlib's `$pbkdf2-sha256$...`, as flAPI writes it) and bcrypt (`$2a$`/`$2b$`/`$2y$`)
 * verify too. flAPI's unsalted MD5 hex and plaintext entries still verify for
 * compatibility; `flapi validate` warns about them. Every comparison is constant-time.
 */
import { createHash, pbkdf2, randomBytes, scrypt, scryptSync, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export type StoredPasswordKind = 'scrypt' | 'pbkdf2' | 'bcrypt' | 'md5' | 'plaintext';

const SCRYPT = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/.=_-]+)\$([A-Za-z0-9+/.=_-]+)$/;
const PBKDF2 = /^\$?pbkdf2[-$](sha1|sha256|sha512)\$(\d{1,7})\$([A-Za-z0-9+/.=_-]+)\$([A-Za-z0-9+/.=_-]+)$/;
const BCRYPT = /^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$/;
const MD5 = /^[0-9a-f]{32}$/i;

export function storedPasswordKind(stored: string): StoredPasswordKind {
  if (SCRYPT.test(stored)) return 'scrypt';
  if (PBKDF2.test(stored)) return 'pbkdf2';
  if (BCRYPT.test(stored)) return 'bcrypt';
  if (MD5.test(stored)) return 'md5';
  return 'plaintext';
}

/** Plaintext and MD5 entries: accepted, but weak. */
export function isWeakPassword(stored: string): boolean {
  const kind = storedPasswordKind(stored);
  return kind === 'md5' || kind === 'plaintext';
}

/** Base64 in any of the spellings hashes use: standard, URL-safe, or passlib's `.` for `+`. */
function decodeBase64(text: string): Buffer {
  return Buffer.from(text.replace(/\./g, '+').replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

function scryptAsync(password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

function pbkdf2Async(password: string, salt: Buffer, iterations: number, keylen: number, digest: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    pbkdf2(password, salt, iterations, keylen, digest, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

function equalBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && a.length > 0 && timingSafeEqual(a, b);
}

/** Compares text without leaking where it differs (both sides hashed to equal length first). */
export function equalText(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb) && a.length === b.length;
}

export interface HashOptions {
  /** log2 of scrypt's cost N (default 14: ~16 MiB and tens of milliseconds). */
  cost?: number;
  /** A fixed salt, for reproducible output (compiled manifests); random by default. */
  salt?: Buffer;
}

/** A new scrypt hash of `password`. */
export async function hashPassword(password: string, options: HashOptions = {}): Promise<string> {
  const ln = options.cost ?? 14;
  const salt = options.salt ?? randomBytes(16);
  const key = await scryptAsync(password, salt, 32, { N: 2 ** ln, r: 8, p: 1, maxmem: 256 * 1024 * 1024 });
  return `$scrypt$ln=${ln},r=8,p=1$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** {@link hashPassword}, synchronously: for the compiler and CLI, never a request. */
export function hashPasswordSync(password: string, options: HashOptions = {}): string {
  const ln = options.cost ?? 14;
  const salt = options.salt ?? randomBytes(16);
  const key = scryptSync(password, salt, 32, { N: 2 ** ln, r: 8, p: 1, maxmem: 256 * 1024 * 1024 });
  return `$scrypt$ln=${ln},r=8,p=1$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** Does `candidate` match the stored entry? */
export async function verifyPassword(stored: string, candidate: string): Promise<boolean> {
  const scryptMatch = SCRYPT.exec(stored);
  if (scryptMatch) {
    const [, ln, r, p, salt, hash] = scryptMatch;
    const expected = decodeBase64(hash!);
    const N = 2 ** Number(ln);
    const key = await scryptAsync(candidate, decodeBase64(salt!), expected.length, { N, r: Number(r), p: Number(p), maxmem: 256 * 1024 * 1024 });
    return equalBytes(key, expected);
  }
  const pbkdf2Match = PBKDF2.exec(stored);
  if (pbkdf2Match) {
    const [, digest, iterations, salt, hash] = pbkdf2Match;
    const expected = decodeBase64(hash!);
    // passlib (and flAPI) keep the raw salt bytes in adapted base64.
    const key = await pbkdf2Async(candidate, decodeBase64(salt!), Number(iterations), expected.length, digest!);
    return equalBytes(key, expected);
  }
  // bcryptjs loads with the first bcrypt hash checked, not with every server.
  if (BCRYPT.test(stored)) return (await import('bcryptjs')).default.compare(candidate, stored);
  if (MD5.test(stored)) return equalText(createHash('md5').update(candidate).digest('hex'), stored.toLowerCase());
  return equalText(candidate, stored);
}

