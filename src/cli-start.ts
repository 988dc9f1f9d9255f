/**
 * The CLI's entry (dist/cli.cjs starts it): for `secure-image scan IMAGE`, the image export is requested before
 * anything else loads, since the engine prepares the whole archive before its first byte; then the CLI
 * (src/cli.ts) loads and runs, and its engine takes that request over.
 */
import { scanTarget } from './cli-early.js'
import { requestEarlyExport } from './docker/early-export.js'

const image = scanTarget(process.argv.slice(2))
if (image) requestEarlyExport(image)
await import('./cli.js')
