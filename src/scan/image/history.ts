/**
 * Build-argument values in the image history. Both builders record a RUN that sees build arguments as
 * `|N KEY=value … <command>` (BuildKit prefixes `RUN `), with the values unquoted, so a token passed with
 * `--build-arg` would reach every report that shows a layer's `created_by`. This is the one place where the
 * history is read, and every value is redacted here: `KEY=<redacted>` for each of the N arguments, whether or
 * not the key looks secret, and any other occurrence of a known build-argument value (e.g. an `ENV X=$TOKEN`
 * that the builder expanded). The command itself is kept.
 *
 * The values are unquoted, so a value holding spaces is ambiguous. The parser uses the known build-argument
 * values first; otherwise a value runs to the next ` KEY=` (or, for the last argument, to the next space). It
 * errs towards redacting too much, never too little of a known value.
 */
import type { HistoryEntry } from '../attribution.js'

export const REDACTED = '<redacted>'

/** Known values shorter than this are not replaced outside the `|N` list: they would garble the command. */
const MIN_GLOBAL = 4

const KEY_AT = /^([A-Za-z_][A-Za-z0-9_]*)=/
const NEXT_KEY = / [A-Za-z_][A-Za-z0-9_]*=/g

export function redactCreatedBy(createdBy: string, known: Record<string, string> = {}): string {
  let out = createdBy
  const head = /^(RUN )?\|(\d+) /.exec(out)
  if (head) {
    const n = Number(head[2])
    let pos = head[0].length
    const parts: string[] = []
    for (let i = 0; i < n; i++) {
      const rest = out.slice(pos)
      const key = KEY_AT.exec(rest)
      if (!key) break
      const valueStart = key[0].length
      const value = rest.slice(valueStart)
      let len: number
      const given = known[key[1]]
      if (given !== undefined && value.startsWith(given) && /^( |$)/.test(value.slice(given.length))) {
        len = given.length
      } else if (i < n - 1) {
        NEXT_KEY.lastIndex = 0
        const next = NEXT_KEY.exec(value)
        len = next ? next.index : value.length
      } else {
        const space = value.indexOf(' ')
        len = space < 0 ? value.length : space
      }
      parts.push(`${key[1]}=${REDACTED}`)
      pos += valueStart + len
      if (out[pos] === ' ') pos++
    }
    out = `${out.slice(0, head[0].length)}${parts.join(' ')}${parts.length ? ' ' : ''}${out.slice(pos)}`
  }
  const values = Object.values(known)
    .filter((v) => v.length >= MIN_GLOBAL)
    .sort((a, b) => b.length - a.length)
  for (const v of values) out = out.split(v).join(REDACTED)
  return out
}

/** The history with every `created_by` redacted (see above). */
export function redactHistory(history: HistoryEntry[], known: Record<string, string> = {}): HistoryEntry[] {
  return history.map((h) => (h.created_by ? { ...h, created_by: redactCreatedBy(h.created_by, known) } : h))
}
