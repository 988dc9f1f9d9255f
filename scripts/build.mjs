// Bundles the action entry and the CLI into dist/ (CommonJS, deterministic, no source maps).
import { build } from 'esbuild'
import { writeFileSync, readFileSync, existsSync, statSync } from 'node:fs'
import * as path from 'node:path'

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
// Native addons (ssh2's optional sshcrypto.node) stay outside the bundle; ssh2 falls back to pure JS without them.
// Only real binary files are external: `./contrib/index.node` in some packages is a JavaScript module.
function nativeAddons() {
  return {
    name: 'native-addons',
    setup(b) {
      b.onResolve({ filter: /\.node$/ }, (args) => {
        const file = path.resolve(args.resolveDir, args.path)
        if (existsSync(file) && statSync(file).isFile()) return { path: args.path, external: true }
        if (!existsSync(file + '.js') && !args.path.startsWith('.')) return { path: args.path, external: true }
        return undefined
      })
    }
  }
}

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
  // Optional plug-ins of @cyclonedx/cyclonedx-library (XML and schema validation) that the JSON SBOM does not use.
  external: ['cpu-features', 'xmlbuilder2', 'libxmljs2', 'ajv-formats-draft2019'],
  plugins: [nativeAddons()],
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
