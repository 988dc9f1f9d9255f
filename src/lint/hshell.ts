/**
 * hadolint's view of a shell command, for the rules that must agree with hadolint case by case.
 *
 * hadolint reads every word of a command the same simple way, and its rules are written against that reading:
 * - a word that starts with `--` is one flag, named by what comes before any `=` (`--no-cache=x` → `no-cache`);
 *   a word that starts with a single `-` is a cluster of one-letter flags (`-qy` → `q`, `y`); `-` and `--` alone
 *   are not flags;
 * - the other words are "arguments without flags", whatever flag stands before them: a flag's value is an
 *   argument unless the rule names that flag as taking one;
 * - "the command has argument X" means X is any word of the command, not only its subcommand;
 * - a variable or substitution (`$V`, `${V}`, `$(…)`, backquotes) reads as the text `${VAR}`.
 *
 * No library offers this reading (it is hadolint's own, not a shell's), so it is written here, over the words
 * that `src/dockerfile/shell.ts` already splits.
 */
import { commandBase, type ShellCommand, type ShellScript } from '../dockerfile/shell.js'
import { mountOptions, type Instruction } from '../dockerfile/parse.js'
import { scriptMemo, type MemoEntry } from './script-memo.js'

/** A command as hadolint reads it. */
export interface HCommand {
  /** Base name (`/usr/bin/dnf` → `dnf`). */
  name: string
  /** Every word after the name, variables read as `${VAR}`. */
  args: string[]
  /** The flag names, each with the index of the word it came from. */
  flags: { name: string; at: number }[]
  /** Its position among the script's commands (script order). */
  index: number
  /** The command as the shell analysis found it. */
  source: ShellCommand
}

const VAR = /\$(?:\{[^}]*\}?|\([^)]*\)?|[A-Za-z_][A-Za-z0-9_]*|[0-9@*#?$!-])|`[^`]*`?/g

/** A word as hadolint reads it: every variable or substitution becomes `${VAR}`. */
export function simplify(word: string): string {
  return word.includes('$') || word.includes('`') ? word.replace(VAR, '${VAR}') : word
}

function flagsOf(args: string[]): HCommand['flags'] {
  const out: HCommand['flags'] = []
  args.forEach((a, at) => {
    if (a === '-' || a === '--' || !a.startsWith('-')) return
    if (a.startsWith('--')) out.push({ name: a.slice(2).split('=')[0], at })
    else for (const ch of a.slice(1)) out.push({ name: ch, at })
  })
  return out
}

/** Reads one command the hadolint way. */
export function hcommand(c: ShellCommand, index = 0): HCommand {
  const args = c.args.map(simplify)
  return { name: commandBase(c.name), args, flags: flagsOf(args), index, source: c }
}

const read = (e: MemoEntry): HCommand => (e.h ??= hcommand(e.cmd, e.index))

/**
 * The commands of a script, read the hadolint way, in script order: all of them, or those whose base name is
 * one of `names` (only those are read, which keeps the rules cheap).
 */
export function hcommands(script: ShellScript, names?: string[]): HCommand[] {
  const idx = scriptMemo(script)
  if (!names) return idx.entries.map(read)
  if (names.length === 1) return (idx.byName.get(names[0]) ?? []).map(read)
  let picked: MemoEntry[] = []
  for (const n of names) {
    const list = idx.byName.get(n)
    if (list) picked = picked.length === 0 ? list.slice() : picked.concat(list)
  }
  return picked.sort((a, b) => a.index - b.index).map(read)
}

/** The commands whose base name passes `test`, read the hadolint way, in script order. */
export function hcommandsNamed(script: ShellScript, test: (name: string) => boolean): HCommand[] {
  const picked: MemoEntry[] = []
  for (const [name, list] of scriptMemo(script).byName) if (test(name)) picked.push(...list)
  return picked.sort((a, b) => a.index - b.index).map(read)
}

/** The script position of the first command that matches, or -1. */
export function firstIndex(cmds: HCommand[], pred: (c: HCommand) => boolean): number {
  return cmds.find(pred)?.index ?? -1
}

/** True when the command is one of `names` and any of its words is one of `words`. */
export function cmdHasArgs(cmd: HCommand, names: string | string[], words: string[]): boolean {
  const ok = typeof names === 'string' ? cmd.name === names : names.includes(cmd.name)
  return ok && cmd.args.some((a) => words.includes(a))
}

/** True when the command carries one of the flags (names without dashes: `y`, `assumeyes`). */
export function hasAnyFlag(cmd: HCommand, names: string[]): boolean {
  return cmd.flags.some((f) => names.includes(f.name))
}

/** The words that are not flags (flag values included, `-` and `--` included). */
export function argsNoFlags(cmd: HCommand, dropValuesOf: string[] = []): string[] {
  const flagAt = new Set(cmd.flags.map((f) => f.at))
  const dropped = new Set<number>()
  for (const f of cmd.flags) {
    if (!dropValuesOf.includes(f.name)) continue
    // As hadolint: the word right after the flag's word is its value, even for `--flag=value`.
    if (f.at + 1 < cmd.args.length) dropped.add(f.at + 1)
  }
  return cmd.args.filter((_, i) => !flagAt.has(i) && !dropped.has(i))
}

/**
 * The words that are not flags, where the flags in `withValue` take the next word as their value when written
 * apart (`--registry URL`; `--registry=URL` carries its own).
 */
export function operands(cmd: HCommand, withValue: string[]): string[] {
  const out: string[] = []
  for (let i = 0; i < cmd.args.length; i++) {
    const a = cmd.args[i]
    if (a === '-' || a === '--' || !a.startsWith('-')) {
      out.push(a)
      continue
    }
    const name = a.startsWith('--') ? a.slice(2) : a.slice(-1)
    if (!name.includes('=') && withValue.includes(name)) i++
  }
  return out
}

/**
 * True when the RUN has a `--mount` of type `cache` or `tmpfs` whose target contains one of `fragments`
 * (`prefix: true`: starts with one of them).
 */
export function hasCacheOrTmpfsMount(ins: Instruction, fragments: string[], prefix = false): boolean {
  return ins.flags.some((f) => {
    if (f.name !== 'mount' || !f.value) return false
    const parts = mountOptions(f.value)
    const type = parts.get('type')
    if (type !== 'cache' && type !== 'tmpfs') return false
    const target = parts.get('target') ?? parts.get('dst') ?? parts.get('destination') ?? ''
    return fragments.some((frag) => (prefix ? target.startsWith(frag) : target.includes(frag)))
  })
}

/** True when `seq` appears in `words` as consecutive words. */
export function hasSequence(words: string[], seq: string[]): boolean {
  for (let i = 0; i + seq.length <= words.length; i++) {
    if (seq.every((s, k) => words[i + k] === s)) return true
  }
  return false
}

/** The command names that can be a pip install. */
export const PIP_NAME = (name: string): boolean => name.startsWith('pip') || name.startsWith('python')

/**
 * As hadolint: a pip install is a command whose name starts with `pip` (so `pip3`, `pipx` and `pipenv` too)
 * with the word `install`, or one whose name starts with `python` with the words `-m pip install`.
 */
export function isPipInstall(cmd: HCommand): boolean {
  if (cmd.name.startsWith('pip')) return cmd.args.includes('install')
  return cmd.name.startsWith('python') && hasSequence(cmd.args, ['-m', 'pip', 'install'])
}
