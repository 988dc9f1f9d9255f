/**
 * The CLI's entry (dist/cli.cjs starts it): for `secure-image scan IMAGE`, the image export is requested before
 * anything else loads, since the engine prepares the whole archive before its first byte; then the CLI
 * (src/cli.ts) loads and runs, and its engine takes that request over.
 *
 * On Node.js 22.1 and later, the code V8 compiles for the CLI's modules is kept between runs (node's module
 * compile cache, in the folder NODE_COMPILE_CACHE names or node's own under the temporary folder), which saves
 * most of the compilation at every later start; Node.js 20 has no such cache and compiles at every start.
 */
import module from 'node:module'
import { scanTarget } from './cli-early.js'
import { requestEarlyExport } from './docker/early-export.js'

const image = scanTarget(process.argv.slice(2))
if (image) requestEarlyExport(image)
;(module as { enableCompileCache?: () => unknown }).enableCompileCache?.()
await import('./cli.js')
