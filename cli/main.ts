import { Command, CommanderError, Option } from 'commander';
import { VERSION } from './version.js';

/**
 * The CLI entry. Each command's module is imported only when that command runs, so
 * `flapi --help` never loads DuckDB, the compiler or the code generator.
 */
export async function main(argv: string[]): Promise<number> {
  let exitCode = 0;
  const program = new Command('flapi')
    .description('Compile YAML endpoint configs and Mustache SQL templates into a fast, safe REST API served from DuckDB.')
    .version(VERSION, '-V, --version', 'print the version (also -v)')
    .addOption(new Option('-v', 'print the version').hideHelp())
    .showHelpAfterError()
    .exitOverride();
  // Commander gives the version flag one short form; many tools answer -v too.
  program.on('option:v', () => {
    process.stdout.write(`${VERSION}\n`);
    throw new CommanderError(0, 'commander.version', VERSION);
  });

  const run = (load: () => Promise<{ run: (...args: never[]) => Promise<number> }>) =>
    async (...args: unknown[]) => {
      const mod = await load();
      exitCode = await mod.run(...(args as never[]));
    };

  program
    .command('init')
    .description('scaffold a new project that validates, tests and serves as created')
    .argument('[dir]', 'folder to create', '.')
    .option('-f, --force', 'write into a folder that is not empty')
    .action(run(() => import('./commands/init.js')));

  program
    .command('validate')
    .description('check the YAML, the templates and their parameters, and dry-run every template on DuckDB')
    .argument('[dir]', 'project folder (holding flapi.yaml)', '.')
    .option('-c, --config <file>', 'path to flapi.yaml')
    .option('--json', 'print diagnostics as JSON')
    .option('--strict', 'treat security warnings as errors')
    .action(run(() => import('./commands/validate.js')));

  program
    .command('test')
    .description('run endpoint test cases against fixture data')
    .argument('[dir]', 'project folder', '.')
    .option('-c, --config <file>', 'path to flapi.yaml')
    .option('--reporter <name>', 'pretty (default) or junit', 'pretty')
    .option('-o, --output <file>', 'write the report to a file')
    .option('-u, --update', 'rewrite the expected rows of failing cases with the actual rows')
    .action(run(() => import('./commands/test.js')));

  program
    .command('build')
    .description('emit a standalone, typed server project (Koa, Dockerfile, AWS Lambda handler)')
    .argument('[dir]', 'project folder', '.')
    .option('-o, --out <dir>', 'output folder (new, empty, or an earlier build)')
    .option('-c, --config <file>', 'path to flapi.yaml')
    .option('--no-data', 'do not copy the data files connections point to (they keep their absolute paths)')
    .option('--no-lockfile', 'do not run npm to write package-lock.json (the Dockerfile\'s npm ci needs one)')
    .action(run(() => import('./commands/build.js')));

  program
    .command('dev')
    .description('serve the project and reload on every file change')
    .argument('[dir]', 'project folder', '.')
    .option('-c, --config <file>', 'path to flapi.yaml')
    .option('-p, --port <port>', 'port to listen on (default: FLAPI_PORT, http-port, 8080)')
    .option('-H, --host <host>', 'host to bind (default: FLAPI_HOST, http-host, 127.0.0.1)')
    .option('--no-watch', 'serve without reloading on change')
    .option('--log-level <level>', 'debug, info, warn (or warning) or error (default: FLAPI_LOG_LEVEL, info)')
    .action(run(() => import('./commands/dev.js')));

  const cache = program.command('cache').description('inspect and refresh caches of a running server');
  const adminOptions = (command: Command) => command
    .argument('[dir]', 'project folder (its flapi.yaml gives the port)', '.')
    .option('-c, --config <file>', 'path to flapi.yaml')
    .option('--url <url>', 'server URL (default: http://127.0.0.1:<port of the project>)')
    .option('--admin-token <token>', 'admin credential, sent as a bearer token (default: FLAPI_ADMIN_TOKEN)');
  adminOptions(cache.command('status').description('show every cache: state, rows, last refresh, next refresh, last error'))
    .option('--json', 'print the raw /_flapi/cache answer')
    .action(run(() => import('./commands/cache-status.js')));
  adminOptions(cache.command('refresh').description('refresh caches now (all, or those named) and print each snapshot'))
    .option('-e, --endpoint <name...>', 'only these endpoints\' caches')
    .option('--full', 'rebuild append and merge caches from scratch')
    .action(run(() => import('./commands/cache-refresh.js')));

  const auth = program.command('auth').description('make password hashes, API key digests and local test tokens');
  auth
    .command('hash-password')
    .description('print a scrypt hash for users[].password (reads the password from stdin when not given)')
    .argument('[password]', 'the password (prefer stdin: it stays out of shell history)')
    .action(run(() => import('./commands/auth-hash-password.js')));
  auth
    .command('hash-key')
    .description('print the sha256: digest of an API key or admin token, for key-hash / admin.token-hash')
    .argument('[key]', 'the key (prefer stdin)')
    .option('--generate', 'make a new random key and print it with its digest')
    .action(run(() => import('./commands/auth-hash-key.js')));
  auth
    .command('token')
    .description('sign a JWT to try bearer auth locally: HS256 with a secret from the environment, or RS256/ES256 with a private key file')
    .option('--secret-env <name>', 'environment variable holding the jwt-secret (HS256)')
    .option('--key-file <pem>', 'PEM private key (RS256 for RSA, ES256 for P-256)')
    .requiredOption('--sub <user>', 'subject (becomes auth.username)')
    .option('--roles <list>', 'comma-separated roles (auth.roles)')
    .option('--email <email>', 'email claim (auth.email)')
    .option('--issuer <iss>', 'iss claim (must match jwt-issuer when configured)')
    .option('--audience <aud>', 'aud claim (must match jwt-audience when configured)')
    .option('--expires <time>', 'lifetime, e.g. 15m, 1h, 7d', '1h')
    .option('--claim <name=value...>', 'extra claims')
    .action(run(() => import('./commands/auth-token.js')));

  program
    .command('bake')
    .description('materialise the tables made by connection init and every cache into an immutable, read-only .duckdb artifact')
    .argument('[dir]', 'project folder', '.')
    .option('-o, --out <file>', 'artifact file to write (default: <project-name>.duckdb)')
    .option('-c, --config <file>', 'path to flapi.yaml')
    .option('--artifact-version <version>', 'version recorded in the artifact (default: the build time, e.g. 20261122T181530Z)')
    .option('--json', 'print the result as JSON')
    .action(run(() => import('./commands/bake.js')));

  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode === 0 || err.code === 'commander.helpDisplayed' || err.code === 'commander.version' ? 0 : 2;
    }
    throw err;
  }
  return exitCode;
}
