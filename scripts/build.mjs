// Bundles the action entry and the CLI into dist/ (deterministic, no source maps): the action as one CommonJS
// file (dist/index.cjs); the CLI as ES modules split by what each command loads (dist/cli/), started by
// dist/cli.cjs, so that a command compiles only the code it runs (`scan` does not compile the signing, build
// or lint code, nor dockerode).
// `node scripts/build.mjs DIR` writes the same files into DIR instead (the benchmarks build into a temporary one).
import { build } from 'esbuild'
import { writeFileSync, readFileSync, existsSync, statSync, rmSync } from 'node:fs'
import * as path from 'node:path'

const out = process.argv[2] ?? 'dist'
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
        if (!existsSync(file + '.js') && !args.path.startsWith('.'))
          return { path: args.path, external: true }
        return undefined
      })
    }
  }
}

// dockerode loads its SSH transport (ssh2) and its BuildKit session (gRPC) when it is loaded, although a
// connection to the local socket uses neither: load them on first use instead, so that a command that talks to
// the engine starts sooner. Each replacement must find its text, so an upgrade that changes it fails the build.
const LAZY = [
  {
    file: /docker-modem[\\/]lib[\\/]ssh\.js$/,
    from: "var Client = require('ssh2').Client,",
    to: "var Client = function () { return new (require('ssh2').Client)() },"
  },
  {
    file: /dockerode[\\/]lib[\\/]docker\.js$/,
    from: "withSession = require('./session'),",
    to: "withSession = function () { return require('./session').apply(this, arguments) },"
  }
]
function lazyRequires() {
  return {
    name: 'lazy-requires',
    setup(b) {
      b.onLoad({ filter: /(docker-modem|dockerode)[\\/]lib[\\/](ssh|docker)\.js$/ }, (args) => {
        const rule = LAZY.find((r) => r.file.test(args.path))
        if (!rule) return undefined
        const text = readFileSync(args.path, 'utf8')
        if (!text.includes(rule.from))
          throw new Error(`lazy-requires: ${args.path} no longer has ${rule.from}`)
        return { contents: text.replace(rule.from, rule.to), loader: 'js' }
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
  plugins: [nativeAddons(), lazyRequires()],
  define: { __SECURE_IMAGE_VERSION__: JSON.stringify(pkg.version) },
  // ESM-only packages use import.meta.url; give them a CommonJS equivalent.
  banner: { js: 'const __importMetaUrl = require("url").pathToFileURL(__filename).href;' },
  inject: [],
  supported: { 'dynamic-import': false }
}
common.define['import.meta.url'] = '__importMetaUrl'

await build({ ...common, entryPoints: ['src/index.ts'], outfile: path.join(out, 'index.cjs') })

// The CLI's chunks are ES modules; CommonJS packages inside them get `require`, `__filename` and `__dirname`
// from this banner (names an ES module does not have).
const esmShim = [
  'import { createRequire as __siCreateRequire } from "node:module";',
  'import { fileURLToPath as __siFileURLToPath } from "node:url";',
  'import { dirname as __siDirname } from "node:path";',
  'const require = __siCreateRequire(import.meta.url);',
  'const __filename = __siFileURLToPath(import.meta.url);',
  'const __dirname = __siDirname(__filename);'
].join(' ')
const cliDir = path.join(out, 'cli')
rmSync(cliDir, { recursive: true, force: true })
await build({
  ...common,
  define: { __SECURE_IMAGE_VERSION__: common.define.__SECURE_IMAGE_VERSION__ },
  supported: {},
  format: 'esm',
  splitting: true,
  entryPoints: { cli: 'src/cli-start.ts' },
  outdir: cliDir,
  outExtension: { '.js': '.mjs' },
  chunkNames: '[name]-[hash]',
  banner: { js: esmShim }
})
writeFileSync(
  path.join(out, 'cli.cjs'),
  '#!/usr/bin/env node\n// secure-image: the CLI is ES modules in cli/, split by what each command loads.\nimport("./cli/cli.mjs")\n'
)
writeFileSync(path.join(out, 'package.json'), JSON.stringify({ type: 'commonjs' }, null, 2) + '\n')
