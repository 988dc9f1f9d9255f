/**
 * The image a `secure-image scan` command line names, read before the CLI loads (src/cli-start.ts sends its
 * export request at once). Only plain command lines are read: anything this does not know (another command,
 * help, an unknown option, a second argument) gives undefined, and the CLI goes its usual way, where commander
 * reads the line. __tests__/cli.test.ts checks the options below against `secure-image scan --help`.
 */

/** `scan` options that take a value (`--format json` or `--format=json`). */
export const SCAN_VALUE_OPTIONS = [
  '--osv-db',
  '--osv-api',
  '--severity-threshold',
  '--coverage-threshold',
  '--dockerfile',
  '--format'
]
/** `scan` options without a value, and the program's own that may stand anywhere. */
export const SCAN_FLAGS = ['--ignore-unfixed', '--debug']

/** The image of a `scan` command line (arguments after the program's name); undefined for anything else. */
export function scanTarget(argv: string[]): string | undefined {
  let i = 0
  while (argv[i] === '--debug') i++
  if (argv[i] !== 'scan') return undefined
  let image: string | undefined
  for (i++; i < argv.length; i++) {
    const a = argv[i]
    if (a.startsWith('-')) {
      const name = a.includes('=') ? a.slice(0, a.indexOf('=')) : a
      if (SCAN_VALUE_OPTIONS.includes(name)) {
        if (name === a) i++
        continue
      }
      if (SCAN_FLAGS.includes(a)) continue
      return undefined
    }
    if (image !== undefined) return undefined
    image = a
  }
  return image
}
