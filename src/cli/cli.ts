/**
 * The `lens` command line as a function: arguments in, exit code out, text through the given
 * writers. The entry point (`main.ts`) binds it to the process; tests call it directly.
 * Command modules are imported on demand, so `inspect` and `--help` never load TF.js.
 */
import { parseCliArgs } from './args';
import { formatCompare } from './compareOutput';
import { describeFailure, EXIT_OK, EXIT_USAGE } from './errors';
import { formatExplain } from './explainOutput';
import { formatInterests } from './interestsOutput';
import { formatEval, formatInspect, formatJson, formatTrain } from './output';
import type { Write } from './progress';
import { usage } from './usage';

export interface CliIo {
  stdout: Write;
  /** Progress, notices and the one-line error message. */
  stderr: Write;
  /** Aborted on Ctrl-C: ingest, training and explanation stop within one chunk, batch or step. */
  signal?: AbortSignal;
  /** Print the stack of unexpected errors too (LENS_DEBUG=1). */
  debug?: boolean;
}

/** Runs one `lens` invocation; resolves to its exit code (never rejects). */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  if (argv.length === 0) {
    io.stderr(usage());
    return EXIT_USAGE;
  }
  try {
    const command = parseCliArgs(argv);
    switch (command.command) {
      case 'help':
        io.stdout(usage(command.topic));
        return EXIT_OK;
      case 'inspect': {
        const { runInspect } = await import('./commands/inspect');
        const result = await runInspect(command, io);
        io.stdout(command.json ? formatJson(result) : formatInspect(result));
        return EXIT_OK;
      }
      case 'train': {
        const { runTrain } = await import('./commands/train');
        const result = await runTrain(command, io);
        io.stdout(command.json ? formatJson(result) : formatTrain(result));
        return EXIT_OK;
      }
      case 'eval': {
        const { runEval } = await import('./commands/eval');
        const result = await runEval(command, io);
        io.stdout(command.json ? formatJson(result) : formatEval(result));
        return EXIT_OK;
      }
      case 'explain': {
        const { runExplain } = await import('./commands/explain');
        const report = await runExplain(command, io);
        io.stdout(command.json ? formatJson(report) : formatExplain(report));
        return EXIT_OK;
      }
      case 'compare': {
        const { runCompare } = await import('./commands/compare');
        const result = await runCompare(command, io);
        io.stdout(command.json ? formatJson(result) : formatCompare(result));
        return EXIT_OK;
      }
      case 'import': {
        const { runImport, formatImport } = await import('./commands/import');
        const result = await runImport(command, io);
        io.stdout(command.json ? formatJson(result) : formatImport(result));
        return EXIT_OK;
      }
      case 'interests': {
        const { runInterests } = await import('./commands/interests');
        const result = await runInterests(command, io);
        io.stdout(command.json ? formatJson(result) : formatInterests(result));
        return EXIT_OK;
      }
    }
  } catch (error) {
    const { code, message } = describeFailure(error);
    io.stderr(`lens: ${message}\n`);
    if (io.debug && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
    return code;
  }
}
