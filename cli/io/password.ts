/**
 * The IMAP password: from the environment variable the operator named, else
 * asked on the terminal (not echoed). Never from the command line, where
 * every user of the machine could read it in the process list.
 */
export async function readPassword(envVar: string | undefined, prompt: string): Promise<string | null> {
  if (envVar) return process.env[envVar] ?? null;
  if (!process.stdin.isTTY) return null;
  const stdin = process.stdin;
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.resume();
  return new Promise((done) => {
    let pw = '';
    const finish = (v: string | null): void => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      done(v);
    };
    const onData = (chunk: Buffer): void => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return finish(pw);
        if (ch === '\u0003' || ch === '\u0004') return finish(null);
        if (ch === '\u007f' || ch === '\b') pw = pw.slice(0, -1);
        else pw += ch;
      }
    };
    stdin.on('data', onData);
  });
}
