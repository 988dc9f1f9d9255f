// Bundles the action entry and the CLI into dist/ (CommonJS, deterministic, no source maps).
import { build } from 'esbuild'
import { writeFileSync, readFileSync } from 'node:fs'

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
  external: ['cpu-features', '*.node'],
  define: { __SECURE_IMAGE_VERSION__: JSON.stringify(pkg.version) },
  // ESM-only packages use import.meta.url; give them a CommonJS equivalent.
  banner: { js: 'const __importMetaUrl = require("url").pathToFileURL(__filename).href;' },
  inject: [],
  supported: { 'dynamic-import': false }
}
common.define['import.meta.url'] = '__importMetaUrl'

await build({ ...common, entryPoints: ['src/index.ts'], outfile: 'dist/index.cjs' })
await build({
  ...common,
  entryPoints: ['src/cli.ts'],
  outfile: 'dist/cli.cjs',
  banner: { js: '#!/usr/bin/env node\n' + common.banner.js }
})
writeFileSync('dist/package.json', JSON.stringify({ type: 'commonjs' }, null, 2) + '\n')
