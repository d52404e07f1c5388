/**
 * Lets plain Node (tsx) load TF.js's ES build. `src/core/tf.ts` imports
 * `@tensorflow/tfjs-core/dist/register_all_gradients`, an ES module whose own imports are
 * written for bundlers (`./gradients`, `./ops/add` without `.js`); Vite and Vitest resolve
 * those, Node's ES loader refuses them (ERR_UNSUPPORTED_DIR_IMPORT / ERR_MODULE_NOT_FOUND).
 * This hook retries such relative imports, and only those made from inside
 * `node_modules/@tensorflow/`, with `.js` and `/index.js`, as a bundler would.
 */
import { register } from 'node:module';

const HOOK = `
export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (error) {
    const parent = context.parentURL ?? '';
    const retry =
      parent.includes('/node_modules/@tensorflow/') &&
      specifier.startsWith('.') &&
      (error?.code === 'ERR_UNSUPPORTED_DIR_IMPORT' || error?.code === 'ERR_MODULE_NOT_FOUND');
    if (!retry) throw error;
    for (const suffix of ['.js', '/index.js']) {
      try {
        return await next(specifier + suffix, context);
      } catch {}
    }
    throw error;
  }
}
`;

/** Registers the hook; call it before anything imports TF.js. */
export function allowTfjsBundlerImports(): void {
  register(`data:text/javascript,${encodeURIComponent(HOOK)}`);
}
