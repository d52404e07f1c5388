/**
 * Entry point of `lens` (`npm run lens -- <command> ...`): binds `runCli` to the process.
 * The first Ctrl-C stops the running ingest or training cleanly (exit 130); a second one quits.
 */
import { allowTfjsBundlerImports } from './tfjsResolveHook';

allowTfjsBundlerImports();
// Imported after the hook is in place: the commands load TF.js.
const { runCli } = await import('./cli');

const controller = new AbortController();
process.once('SIGINT', () => {
  process.stderr.write('lens: stopping (Ctrl-C again to quit now)\n');
  controller.abort();
  process.once('SIGINT', () => process.exit(130));
});

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  signal: controller.signal,
  debug: Boolean(process.env.LENS_DEBUG),
});
