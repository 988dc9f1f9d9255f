/** A lint rule is data plus a check. Every rule lives in its own file under `rules/` and is listed in `rules/index.ts`. */
import { expandFromImage, type DockerfileModel, type Instruction, type Stage } from '../dockerfile/parse.js'
import type { Expansion } from '../dockerfile/expand.js'
import { runScript, type ShellCommand, type ShellScript } from '../dockerfile/shell.js'
import type { HadolintConfig, HadolintLevel } from './config.js'
import { entriesNamed, scriptMemo } from './script-memo.js'

export type RuleSeverity = HadolintLevel

/** One place a rule fired. `message` replaces the rule's message when the finding needs detail. */
export interface Violation {
  line: number
  endLine?: number
  message?: string
}

export interface RuleContext {
  model: DockerfileModel
  config: HadolintConfig
  /** Context paths (posix, relative) the build would send after `.dockerignore`, when known. */
  contextFiles?: string[]
  /** The shell analysis of a RUN instruction (cached). */
  shell(ins: Instruction): ShellScript
  /** Every RUN, including ONBUILD RUN triggers, with its stage. */
  runs: { ins: Instruction; stage: Stage | undefined; script: ShellScript }[]
  /** A stage's FROM image expanded with the global ARGs, as BuildKit does (cached per stage). */
  fromImage(stage: Stage): Expansion
}

export interface Rule {
  id: string
  severity: RuleSeverity
  /** One sentence: what is wrong. */
  message: string
  /** How to fix it. */
  help: string
  /**
   * Off unless the config's `override` lists the rule at some level (hadolint's `ignore` level: DL1001, DL3057,
   * DL3063). `severity` is then only the level shown in the catalogue.
   */
  defaultOff?: boolean
  check(ctx: RuleContext): Violation[]
}

/** A violation spanning an instruction. */
export function at(ins: Instruction, message?: string): Violation {
  const v: Violation = { line: ins.startLine, endLine: ins.endLine }
  if (message) v.message = message
  return v
}

/** Each instruction of the Dockerfile with ONBUILD triggers replaced by the instruction they trigger. */
export function effective(model: DockerfileModel): Instruction[] {
  return model.instructions.map((i) => (i.keyword === 'ONBUILD' && i.trigger ? i.trigger : i))
}

export function buildContext(
  model: DockerfileModel,
  config: HadolintConfig,
  contextFiles?: string[]
): RuleContext {
  const cache = new Map<Instruction, ShellScript>()
  const shell = (ins: Instruction): ShellScript => {
    let s = cache.get(ins)
    if (!s) {
      s = runScript(ins)
      cache.set(ins, s)
    }
    return s
  }
  const runs: RuleContext['runs'] = []
  for (const ins of model.instructions) {
    const target = ins.keyword === 'ONBUILD' && ins.trigger ? ins.trigger : ins
    if (target.keyword !== 'RUN') continue
    runs.push({ ins: target, stage: model.stages[ins.stage], script: shell(target) })
  }
  const expanded = new Map<Stage, Expansion>()
  const fromImage = (stage: Stage): Expansion => {
    let e = expanded.get(stage)
    if (!e) {
      e = expandFromImage(model, stage)
      expanded.set(stage, e)
    }
    return e
  }
  const ctx: RuleContext = { model, config, shell, runs, fromImage }
  if (contextFiles) ctx.contextFiles = contextFiles
  return ctx
}

/** Base name of a command (`/usr/bin/pip3` → `pip3`). */
export function base(name: string): string {
  const i = name.lastIndexOf('/')
  return i >= 0 ? name.slice(i + 1) : name
}

/** True when `args` holds the short flag (alone or in a cluster such as `-qy`) or one of the long flags. */
export function hasFlag(args: string[], short: string[], long: string[] = []): boolean {
  for (const a of args) {
    if (a === '--') return false
    if (a.startsWith('--')) {
      const name = a.split('=')[0]
      if (long.includes(name)) return true
    } else if (a.startsWith('-') && a.length > 1) {
      if (short.some((s) => a === s)) return true
      if (/^-[A-Za-z]+$/.test(a) && short.some((s) => s.length === 2 && a.includes(s[1]))) return true
    }
  }
  return false
}

/** The value of `-x VALUE`, `-xVALUE`, `--long VALUE` or `--long=VALUE`. */
export function flagValue(args: string[], names: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]
    for (const n of names) {
      if (a === n) return args[i + 1]
      if (n.startsWith('--') && a.startsWith(n + '=')) return a.slice(n.length + 1)
      if (!n.startsWith('--') && a.startsWith(n) && a.length > n.length) return a.slice(n.length)
    }
  }
  return undefined
}

/**
 * The operands of a command after the subcommand `sub` (e.g. the packages of `apt-get install`): non-flag
 * words, skipping the values of the flags listed in `withValue`.
 */
export function operandsAfter(cmd: ShellCommand, subs: string[], withValue: string[] = []): string[] | null {
  const idx = cmd.args.findIndex((a) => subs.includes(a))
  if (idx < 0) return null
  const out: string[] = []
  const rest = cmd.args.slice(idx + 1)
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]
    if (a === '--') {
      out.push(...rest.slice(i + 1))
      break
    }
    if (a.startsWith('-')) {
      if (withValue.includes(a)) i++
      continue
    }
    out.push(a)
  }
  return out
}

/** The commands of a script whose base name is one of `names`, in script order. */
export function commands(script: ShellScript, names: string[]): ShellCommand[] {
  const memo = scriptMemo(script)
  if (names.length === 1) return memo.commandsByName.get(names[0]) ?? []
  return entriesNamed(memo, names).map((e) => e.cmd)
}

/** True when the command's first non-flag argument is one of `subs`. */
export function isSub(cmd: ShellCommand, subs: string[]): boolean {
  const first = cmd.args.find((a) => !a.startsWith('-'))
  return first !== undefined && subs.includes(first)
}

/** True when the RUN has a `--mount=type=cache` whose target is one of `targets` (prefix match). */
export function hasCacheMount(ins: Instruction, targets: string[]): boolean {
  return ins.flags.some((f) => {
    if (f.name !== 'mount' || !f.value) return false
    const parts = new Map(
      f.value.split(',').map((p) => {
        const eq = p.indexOf('=')
        return eq < 0 ? [p, 'true'] : [p.slice(0, eq), p.slice(eq + 1)]
      })
    )
    const target = parts.get('target') ?? parts.get('dst') ?? parts.get('destination') ?? ''
    return parts.get('type') === 'cache' && targets.some((t) => target.replace(/\/+$/, '').startsWith(t))
  })
}

/** The stage's instructions with ONBUILD triggers excluded (they run in a child image). */
export function stageInstructions(stage: Stage, keyword: string): Instruction[] {
  return stage.instructions.filter((i) => i.keyword === keyword)
}

/** True for the `pip install` forms: `pip`, `pip3`, `pip3.11`, `python -m pip`. */
export function pipInstall(cmd: ShellCommand): string[] | null {
  const b = base(cmd.name)
  let args: string[] | null = null
  if (/^pip[0-9.]*$/.test(b)) args = cmd.args
  else if (/^python[0-9.]*$/.test(b)) {
    const m = cmd.args.indexOf('-m')
    if (m >= 0 && cmd.args[m + 1] === 'pip') args = cmd.args.slice(m + 2)
  }
  if (!args) return null
  const first = args.find((a) => !a.startsWith('-'))
  return first === 'install' ? args : null
}

/**
 * RUNs where an RPM package manager (`yum`, `dnf`) installs packages without a version (`name-1.2`), an `.rpm`
 * file, a path, a variable or a group: one violation per RUN, for DL3033 and DL3041.
 */
export function unpinnedRpmInstalls(ctx: RuleContext, tools: string[], label: string): Violation[] {
  const out: Violation[] = []
  for (const r of ctx.runs) {
    for (const c of commands(r.script, tools)) {
      const pkgs = operandsAfter(
        c,
        ['install'],
        ['--enablerepo', '--disablerepo', '--setopt', '-c', '--config', '--installroot', '--releasever']
      )
      const loose = (pkgs ?? []).filter(
        (p) =>
          !/-[0-9]/.test(p) &&
          !p.endsWith('.rpm') &&
          !p.includes('/') &&
          !p.startsWith('$') &&
          !p.startsWith('@')
      )
      if (loose.length > 0) {
        out.push(at(r.ins, `Specify version with ${label} install: ${loose.slice(0, 5).join(', ')}.`))
        break
      }
    }
  }
  return out
}

/**
 * The FROM lines that name an external image, expanded with the global ARGs: not `scratch`, not an earlier
 * stage's alias, and not a reference with a variable that cannot be resolved (DL3006, DL3026).
 */
export function externalFromImages(ctx: RuleContext): { stage: Stage; image: string }[] {
  const out: { stage: Stage; image: string }[] = []
  const aliases = new Set<string>()
  for (const stage of ctx.model.stages) {
    const e = ctx.fromImage(stage)
    const lower = e.value.toLowerCase()
    if (e.unresolved.length === 0 && e.value && lower !== 'scratch' && !aliases.has(lower)) {
      out.push({ stage, image: e.value })
    }
    if (stage.name) aliases.add(stage.name)
  }
  return out
}
