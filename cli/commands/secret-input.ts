/** A secret from stdin (piped, or typed at a terminal without echo), trimmed of its line end. */
export async function readSecretInput(what: string): Promise<string> {
  const stdin = process.stdin;
  if (stdin.isTTY) {
    process.stderr.write(`${what}: `);
    stdin.setRawMode(true);
    return new Promise((resolve) => {
      let text = '';
      const onData = (chunk: Buffer): void => {
        for (const char of chunk.toString('utf8')) {
          if (char === '\r' || char === '\n' || char === '\u0004') {
            stdin.setRawMode(false);
            stdin.off('data', onData);
            stdin.pause();
            process.stderr.write('\n');
            resolve(text);
            return;
          }
          if (char === '\u0003') process.exit(130);
          text = char === '\u007f' ? text.slice(0, -1) : text + char;
        }
      };
      stdin.on('data', onData);
      stdin.resume();
    });
  }
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}
