import { randomBytes } from 'node:crypto';
import { apiKeyHash } from '../../runtime/security/api-key.js';
import { readSecretInput } from './secret-input.js';

export interface HashKeyOptions {
  generate?: boolean;
}

/**
 * `flapi auth hash-key [key]`: prints the `sha256:` digest of an API key or admin token, for
 * `key-hash:` / `admin.token-hash:`. `--generate` makes a new random key and prints the key
 * (hand it to the client, once) and its digest (put it in the config).
 */
export async function run(key: string | undefined, options: HashKeyOptions = {}): Promise<number> {
  if (options.generate) {
    const fresh = randomBytes(32).toString('base64url');
    process.stdout.write(`key:  ${fresh}\nhash: ${apiKeyHash(fresh)}\n`);
    return 0;
  }
  const text = key ?? (await readSecretInput('key'));
  if (text === '') {
    process.stderr.write('flapi auth hash-key: give a key, pipe one on stdin, or use --generate\n');
    return 1;
  }
  process.stdout.write(`${apiKeyHash(text)}\n`);
  return 0;
}
