/** Commands whose capability has not landed yet say so and exit 2, as the CLI contract asks. */
export function notBuilt(command: string): number {
  process.stderr.write(`flapi ${command}: not available yet in this version of flapi.\n`);
  return 2;
}
