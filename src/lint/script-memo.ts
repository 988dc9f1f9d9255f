/**
 * What the rules share about one RUN's shell script: its commands grouped by base name, and hadolint's reading
 * of each command once a rule has asked for it. It is built on the first lookup and kept on the script object
 * itself, so the ~80 rules that look up commands in the same RUN reuse one index. It is not kept in a WeakMap:
 * V8's young-generation collector holds a WeakMap's values alive, which promoted every linted file's index to
 * the old generation and made each scavenge slower.
 */
import { commandBase, type ShellCommand, type ShellScript } from '../dockerfile/shell.js'
import type { HCommand } from './hshell.js'

/** One command of the script, with its position and (once read) hadolint's reading of it. */
export interface MemoEntry {
  cmd: ShellCommand
  /** The command's base name (`/usr/bin/apt-get` → `apt-get`). */
  name: string
  /** Position among the script's commands (script order). */
  index: number
  h?: HCommand
}

export interface ScriptMemo {
  entries: MemoEntry[]
  /** The entries by base name (`/usr/bin/apt-get` → `apt-get`), in script order. */
  byName: Map<string, MemoEntry[]>
  /** The commands by base name, in script order (the same grouping as `byName`). */
  commandsByName: Map<string, ShellCommand[]>
}

type MemoHolder = ShellScript & { memo?: ScriptMemo }

/** The script's memo, built on first use. */
export function scriptMemo(script: ShellScript): ScriptMemo {
  const holder = script as MemoHolder
  return (holder.memo ??= build(script.commands))
}

function build(commands: ShellCommand[]): ScriptMemo {
  const entries: MemoEntry[] = []
  const byName = new Map<string, MemoEntry[]>()
  const commandsByName = new Map<string, ShellCommand[]>()
  for (let index = 0; index < commands.length; index++) {
    const cmd = commands[index]
    const name = commandBase(cmd.name)
    const entry: MemoEntry = { cmd, name, index }
    entries.push(entry)
    const list = byName.get(name)
    if (list) {
      list.push(entry)
      commandsByName.get(name)!.push(cmd)
    } else {
      byName.set(name, [entry])
      commandsByName.set(name, [cmd])
    }
  }
  return { entries, byName, commandsByName }
}

/** The entries whose base name is one of `names` (each name counted once), in script order. */
export function entriesNamed(memo: ScriptMemo, names: readonly string[]): MemoEntry[] {
  let found: MemoEntry[] | undefined
  let merged = false
  for (let i = 0; i < names.length; i++) {
    const list = memo.byName.get(names[i])
    if (!list || names.indexOf(names[i]) < i) continue
    if (found) {
      found = found.concat(list)
      merged = true
    } else found = list
  }
  if (!found) return []
  if (merged) found.sort((a, b) => a.index - b.index)
  return found
}
