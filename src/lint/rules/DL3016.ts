import { cmdHasArgs, hcommands, operands } from '../hshell.js'
import { at, type Rule, type Violation } from '../rule.js'

/** npm's options that take a value: the word after them is no package. */
const WITH_VALUE = [
  'loglevel',
  'registry',
  'prefix',
  'cache',
  'userconfig',
  'globalconfig',
  'omit',
  'include',
  'only',
  'tag',
  'scope',
  'workspace',
  'w',
  'install-strategy',
  'save-prefix',
  'fetch-retries',
  'fetch-timeout',
  'proxy',
  'https-proxy',
  'ca',
  'cafile',
  'C'
]

const GIT = ['git://', 'git+ssh://', 'git+http://', 'git+https://']
const TARBALL = ['.tar', '.tar.gz', '.tgz']
const FOLDER = ['/', './', '../', '~/']

/**
 * As hadolint: a package is pinned when it names a version (`name@x`, `@scope/name@x`), is a tarball
 * (`.tar`, `.tar.gz`, `.tgz`) or a folder (`/`, `./`, `../`, `~/`); a git URL (`git://`, `git+ssh://`,
 * `git+http(s)://`) is pinned only with a `#commit` or `#semver:` part.
 */
export function npmPinned(p: string): boolean {
  if (GIT.some((g) => p.startsWith(g))) return p.includes('#')
  if (TARBALL.some((t) => p.endsWith(t))) return true
  if (FOLDER.some((f) => p.startsWith(f))) return true
  // hadolint drops a scope's leading characters up to the first `/`, `.`, `-` or other low character.
  let k = 0
  if (p.startsWith('@')) while (k < p.length && p.charCodeAt(k) > 0x2f) k++
  return p.slice(k).includes('@')
}

/** As hadolint: `npm install PACKAGE…` (install as the first word that is not a flag) must pin each package. */
export const DL3016: Rule = {
  id: 'DL3016',
  severity: 'warning',
  message: 'Pin versions in npm. Instead of `npm install <package>` use `npm install <package>@<version>`',
  help: 'Write `npm install PACKAGE@VERSION`, or install from a package.json with a lock file (`npm ci`).',
  check(ctx) {
    const out: Violation[] = []
    for (const r of ctx.runs) {
      const loose: string[] = []
      for (const c of hcommands(r.script, ['npm'])) {
        if (!cmdHasArgs(c, 'npm', ['install'])) continue
        const words = operands(c, WITH_VALUE)
        if (words[0] !== 'install') continue
        let k = 0
        while (words[k] === 'install') k++
        loose.push(...words.slice(k).filter((p) => !npmPinned(p)))
      }
      if (loose.length > 0) out.push(at(r.ins, `Pin versions in npm: ${loose.slice(0, 5).join(', ')}.`))
    }
    return out
  }
}
