/**
 * `mcp-packs pack …`: the pack author's commands, loaded only when asked for (the server never pays for them).
 */
import { UsageError } from '../args.js';
import { PACK_HELP, parsePackCommand } from './args.js';
import { CHECK_UNUSABLE, checkPackCommand, formatCheckReport } from './check.js';
import { formatNewResult, newPack } from './new.js';

interface Io {
  stdout: { write(chunk: string): unknown };
  stderr: { write(chunk: string): unknown };
}

/** Run `mcp-packs pack <argv>`; resolves to the exit code. */
export async function runPack(argv: readonly string[], io: Io): Promise<number> {
  try {
    const command = parsePackCommand(argv);
    if (command === 'help') {
      io.stdout.write(PACK_HELP);
      return 0;
    }
    if (command.action === 'new') {
      io.stdout.write(formatNewResult(await newPack(command)));
      return 0;
    }
    const report = await checkPackCommand(command);
    io.stdout.write(command.json ? `${JSON.stringify(report, null, 2)}\n` : formatCheckReport(report));
    return report.exitCode;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`mcp-packs pack: ${error.message}\n`);
      return CHECK_UNUSABLE;
    }
    throw error;
  }
}
