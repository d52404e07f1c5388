/**
 * Writes the e2e import fixtures (`npx tsx scripts/make-import-fixtures.ts [out dir]`, default
 * e2e/.generated/import): Keras, graph and ALS model files for the bundled sample, and the top
 * 10 Node recommends with each. Run by `npm run test:e2e` before Playwright.
 */
import { allowTfjsBundlerImports } from '../src/cli/tfjsResolveHook';

allowTfjsBundlerImports();
const { buildImportFixtures } = await import('./importFixtures');
await buildImportFixtures(process.argv[2] ?? 'e2e/.generated/import');
