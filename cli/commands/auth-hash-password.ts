import { hashPassword } from '../../runtime/security/password-hash.js';
import { readSecretInput } from './secret-input.js';

/**
 * `flapi auth hash-password [password]`: prints a scrypt hash to paste into `users[].password`
 * (or into the environment variable it names). Without the argument the password is read
 * from stdin, so it stays out of the shell history.
 */
export async function run(password: string | undefined): Promise<number> {
  const text = password ?? (await readSecretInput('password'));
  if (text === '') {
    process.stderr.write('flapi auth hash-password: an empty password is never accepted\n');
    return 1;
  }
  process.stdout.write(`${await hashPassword(text)}\n`);
  return 0;
}
