// Each command's module is imported when that command runs, not before: `--help`
// and a usage error then start without loading the engine, sqlite3 or the mail
// libraries (the bundle keeps these imports lazy too, see build/build-cli.mjs).
import { UsageError } from './usage';

const USAGE = `abuse-desk: evidence-backed answers to abuse complaints

Usage:
  abuse-desk inspect FILE... [--json] [--zone ZONE] [--near DATE]
  abuse-desk analyze --complaint FILE|- [--evidence FILE]... [--our-net CIDR]... [--action A]... [--json] [--save [--data-dir DIR]]
  abuse-desk cases list|search|show|host|reanalyze|export|import|backup [--data-dir DIR] ...
  abuse-desk triage --complaint FILE|- [--our-net CIDR]... [--inventory FILE] [--json]
  abuse-desk import PATH...|imap://USER@HOST[:PORT]/FOLDER [--data-dir DIR] [--password-env VAR] [--our-net CIDR]... [--json]
  abuse-desk queue [--class C] [--limit N] [--data-dir DIR] [--json]
  abuse-desk customers import FILE | lookup ADDRESS... | info [--data-dir DIR] [--json]
  abuse-desk serve [--port N] [--data-dir DIR] [--open]
  abuse-desk store migrate --from sqlite:DATA_DIR --to postgres://…

Run "abuse-desk COMMAND --help" for a command's options.`;

/** Entry point; returns the process exit status (0 done, 2 usage or unreadable input). */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'inspect': return await (await import('./commands/inspect')).inspectCommand(rest);
      case 'analyze': return await (await import('./commands/analyze')).analyzeCommand(rest);
      case 'triage': return await (await import('./commands/triage')).triageCommand(rest);
      case 'serve': return await (await import('./commands/serve')).serveCommand(rest);
      case 'import': return await (await import('./commands/import')).importCommand(rest);
      case 'queue': return await (await import('./commands/queue')).queueCommand(rest);
      case 'cases': return await (await import('./commands/cases')).casesCommand(rest);
      case 'customers': return await (await import('./commands/customers')).customersCommand(rest);
      case 'store': return await (await import('./commands/store')).storeCommand(rest);
      case undefined: case '-h': case '--help': case 'help':
        process.stdout.write(`${USAGE}\n`);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`abuse-desk: ${e.message}\n\n${USAGE}\n`);
      return 2;
    }
    throw e;
  }
}
