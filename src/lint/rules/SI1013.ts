import type { Stage } from '../../dockerfile/parse.js'
import type { ShellCommand, ShellScript } from '../../dockerfile/shell.js'
import { at, base, commands, operandsAfter, type Rule, type Violation } from '../rule.js'

/** Packages that only building needs: compilers, toolchains, development headers. */
const BUILD_ONLY = new Set([
  'build-essential',
  'build-base',
  'alpine-sdk',
  'gcc',
  'g++',
  'gcc-c++',
  'clang',
  'gfortran',
  'make',
  'cmake',
  'autoconf',
  'automake',
  'libtool',
  'pkg-config',
  'pkgconf',
  'pkgconfig',
  'linux-headers',
  'kernel-headers',
  'kernel-devel'
])

/** The package name of an operand: without `=version`, `-version` pins are kept (they are rare for these). */
function packageName(op: string): string {
  return op.split(/[=<>~]/)[0].replace(/:[a-z0-9]+$/, '')
}

function isBuildOnly(name: string): boolean {
  return BUILD_ONLY.has(name) || /^(gcc|g\+\+|clang|cpp)-[0-9.]+$/.test(name) || /.-(dev|devel)$/.test(name)
}

const INSTALL: Record<string, string[]> = {
  'apt-get': ['install'],
  apt: ['install'],
  aptitude: ['install'],
  apk: ['add'],
  yum: ['install'],
  dnf: ['install'],
  microdnf: ['install'],
  tdnf: ['install'],
  zypper: ['install', 'in']
}
const REMOVE: Record<string, string[]> = {
  'apt-get': ['purge', 'remove'],
  apt: ['purge', 'remove'],
  aptitude: ['purge', 'remove'],
  apk: ['del'],
  yum: ['remove', 'erase'],
  dnf: ['remove', 'erase'],
  microdnf: ['remove'],
  tdnf: ['remove', 'erase'],
  zypper: ['remove', 'rm']
}
const WITH_VALUE = ['-t', '--virtual', '-o', '--setopt', '--repo', '-X', '--repository', '--root', '-p']
const INSTALLERS = Object.keys(INSTALL)
const REMOVERS = Object.keys(REMOVE)

/** The final stage and the stages it is built `FROM`: what the image holds. */
function imageStages(stages: Stage[]): Stage[] {
  const out: Stage[] = []
  let st: Stage | undefined = stages[stages.length - 1]
  while (st && !out.includes(st)) {
    out.unshift(st)
    const parent: string = st.image.toLowerCase()
    const idx: number = st.index
    st = [...stages].reverse().find((s: Stage): boolean => s.index < idx && s.name === parent)
  }
  return out
}

/**
 * CIS Docker Benchmark 4.3: packages that only the build needs (compilers, `-dev`/`-devel` headers,
 * `build-essential`) installed in the image that ships and not removed again. A multi-stage build installs them
 * in a build stage and copies only the result. Removal counts in any later RUN of the image (`apt-get purge`,
 * `apk del` of the package or of the `--virtual` group it came in, `yum remove`); a removal given through a
 * variable (`apt-get purge $buildDeps`) is trusted to cover them, and so is the `apt-mark auto '.*'` … `apt-get
 * purge --auto-remove` pattern of the official images for what its own RUN installed.
 */
export const SI1013: Rule = {
  id: 'SI1013',
  severity: 'info',
  message:
    'Build-only packages (compilers, development headers) stay in the final image (CIS Docker Benchmark 4.3).',
  help: 'Install them in a build stage and `COPY --from=` only the result into the final stage, or remove them in the same RUN.',
  check(ctx) {
    const stages = new Set(imageStages(ctx.model.stages).map((s) => s.index))
    const runs = ctx.runs.filter((r) => r.stage && stages.has(r.stage.index) && r.ins.keyword === 'RUN')
    const removed = new Set<string>()
    let removedByVariable = false
    const installs: { run: (typeof runs)[number]; names: string[]; group?: string }[] = []
    for (const r of runs) {
      const aptCleanup = aptMarkCleanup(r.script)
      for (const c of commands(r.script, INSTALLERS)) {
        if (aptCleanup && ['apt-get', 'apt', 'aptitude'].includes(base(c.name))) continue
        const ops = operandsAfter(c, INSTALL[base(c.name)], WITH_VALUE)
        if (!ops) continue
        const names = ops.map(packageName).filter(isBuildOnly)
        if (names.length > 0) installs.push({ run: r, names, group: virtualGroup(c) })
      }
      for (const c of commands(r.script, REMOVERS)) {
        const ops = operandsAfter(c, REMOVE[base(c.name)], WITH_VALUE)
        for (const op of ops ?? []) {
          if (op.includes('$')) removedByVariable = true
          removed.add(packageName(op))
        }
      }
    }
    if (removedByVariable) return []
    const out: Violation[] = []
    for (const i of installs) {
      if (i.group && removed.has(i.group)) continue
      const left = [...new Set(i.names.filter((n) => !removed.has(n)))]
      if (left.length === 0 || out.some((v) => v.line === i.run.ins.startLine)) continue
      out.push(
        at(
          i.run.ins,
          `Build-only packages stay in the final image: ${left.slice(0, 6).join(', ')} (CIS 4.3).`
        )
      )
    }
    return out
  }
}

/**
 * The official images' pattern: `apt-mark auto '.*'` then `apt-get purge --auto-remove` (or `autoremove`) in the
 * same RUN removes every package that RUN installed and did not mark manual again.
 */
function aptMarkCleanup(script: ShellScript): boolean {
  const marksAuto = commands(script, ['apt-mark', 'xargs']).some(
    (c) => (base(c.name) === 'apt-mark' || c.args.includes('apt-mark')) && c.args.includes('auto')
  )
  if (!marksAuto) return false
  return commands(script, ['apt-get', 'apt']).some(
    (c) =>
      c.args.includes('autoremove') ||
      ((c.args.includes('purge') || c.args.includes('remove')) && c.args.includes('--auto-remove'))
  )
}

function virtualGroup(c: ShellCommand): string | undefined {
  const i = c.args.findIndex((a) => a === '-t' || a === '--virtual')
  if (i >= 0) return c.args[i + 1]
  return c.args.find((a) => a.startsWith('--virtual='))?.slice('--virtual='.length)
}
