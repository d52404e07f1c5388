/**
 * The HTTP servers the benchmark drives: the production build under `vite preview`, and a
 * tiny page of our own for the Papa Parse reference. Both bind to free local ports.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { join } from 'node:path';

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/** Asks the OS for a free TCP port on localhost. */
export async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Newest modification time of any file under `dir`. */
export function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * Builds the app unless `dist/` already holds a build newer than every source file, so the
 * numbers always describe the code in the tree, not a stale bundle.
 */
export function ensureBuild(root: string): void {
  const index = join(root, 'dist', 'index.html');
  const sources = Math.max(
    newestMtime(join(root, 'src')),
    statSync(join(root, 'index.html')).mtimeMs,
  );
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  console.log('[bench] building the app (vite build)...');
  const result = spawnSync('npx', ['vite', 'build'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('vite build failed; the benchmark needs a build.');
}

async function waitForUrl(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`vite preview exited with ${child.exitCode}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`vite preview did not answer at ${url} within ${timeoutMs / 1000} s`);
}

/**
 * Serves `dist/` (or `outDir`) with `vite preview` (same headers as production) on a free
 * port; `path` is the page the returned URL points at.
 */
export async function startPreview(
  root: string,
  options: { outDir?: string; path?: string } = {},
): Promise<RunningServer> {
  const port = await freePort();
  const args = ['vite', 'preview', '--port', String(port), '--strictPort'];
  if (options.outDir) args.push('--outDir', options.outDir);
  const child = spawn('npx', args, {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    detached: true,
  });
  const url = `http://localhost:${port}/${options.path ?? ''}`;
  await waitForUrl(url, child, 30_000);
  return {
    url,
    close: async () => {
      if (child.pid && child.exitCode === null) process.kill(-child.pid, 'SIGTERM');
    },
  };
}

const PAPA_PAGE = `<!doctype html><meta charset="utf-8"><title>Papa Parse reference</title>
<input type="file" id="file"><script src="/papaparse.min.js"></script>`;

/**
 * Serves a page with nothing on it but Papa Parse and a file input: the reference point for
 * "how fast can a browser parse this file at all".
 */
export async function startPapaServer(root: string): Promise<RunningServer> {
  const papa = readFileSync(join(root, 'node_modules', 'papaparse', 'papaparse.min.js'));
  const server: Server = createServer((request, response) => {
    if (request.url === '/papaparse.min.js') {
      response.writeHead(200, { 'content-type': 'text/javascript' });
      response.end(papa);
    } else {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(PAPA_PAGE);
    }
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
