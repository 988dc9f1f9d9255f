import { at, pipInstall, type Rule, type Violation } from '../rule.js'

const WITH_VALUE = [
  '-c',
  '--constraint',
  '-e',
  '--editable',
  '-i',
  '--index-url',
  '--extra-index-url',
  '-f',
  '--find-links',
  '-t',
  '--target',
  '--prefix',
  '--root',
  '--platform',
  '--python-version',
  '--implementation',
  '--abi',
  '--upgrade-strategy',
  '--progress-bar',
  '--src',
  '--trusted-host',
  '--cache-dir',
  '--log',
  '--proxy',
  '--retries',
  '--timeout',
  '--exists-action',
  '--global-option',
  '--install-option',
  '--no-binary',
  '--only-binary',
  '--config-settings'
]

const VCS = /^(git|hg|svn|bzr)(\+[a-z-]+)?:/

function pinned(p: string): boolean {
  if (p.startsWith('$')) return true
  if (['==', '>=', '<=', '>', '<', '!=', '~=', '==='].some((s) => p.includes(s))) return true
  if (VCS.test(p)) return p.includes('@')
  return p.endsWith('.whl') || p.endsWith('.tar.gz') || p.includes('/')
}

export const DL3013: Rule = {
  id: 'DL3013',
  severity: 'warning',
  message: 'Pin versions in pip.',
  help: 'Write `pip install PACKAGE==VERSION`, or install from a requirements file with pinned versions (`-r`).',
  check(ctx) {
    const out: Violation[] = []
    for (const r of ctx.runs) {
      for (const c of r.script.commands) {
        const args = pipInstall(c)
        if (!args) continue
        const rest = args.slice(args.indexOf('install') + 1)
        // As hadolint: requirement files, the local project and constraint files are not checked.
        if (rest.some((a) => ['-r', '--requirement', '.', '-c', '--constraint'].includes(a.split('=')[0])))
          continue
        const pkgs: string[] = []
        for (let i = 0; i < rest.length; i++) {
          const a = rest[i]
          if (a.startsWith('-')) {
            if (WITH_VALUE.includes(a)) i++
            continue
          }
          pkgs.push(a)
        }
        const loose = pkgs.filter((p) => !pinned(p))
        if (loose.length > 0) {
          out.push(at(r.ins, `Pin versions in pip: ${loose.slice(0, 5).join(', ')}.`))
          break
        }
      }
    }
    return out
  }
}
