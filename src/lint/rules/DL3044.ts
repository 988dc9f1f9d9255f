import { argDecls, envPairs } from '../../dockerfile/parse.js'
import { at, type Rule, type Violation } from '../rule.js'

const NAME_CHAR = /[0-9A-Za-z_]/

/** True when `value` refers to `name` as `${name}`, or as `$name` not followed by a name character. */
export function refersTo(value: string, name: string): boolean {
  if (value.includes('${' + name + '}')) return true
  const bare = '$' + name
  let at = value.indexOf(bare)
  while (at >= 0) {
    const next = value[at + bare.length]
    if (next === undefined || !NAME_CHAR.test(next)) return true
    at = value.indexOf(bare, at + 1)
  }
  return false
}

/**
 * As hadolint: an ENV that defines a variable and refers to it in another of its own pairs (before or after),
 * when no earlier ENV or ARG of the file defined it. A pair referring to itself (`PATH=/x:$PATH`) is fine.
 * hadolint looks for `${NAME}` and `$NAME` only (not `${NAME:-x}`), and does not skip `\$NAME`.
 */
export const DL3044: Rule = {
  id: 'DL3044',
  severity: 'error',
  message: 'Do not refer to an environment variable within the same `ENV` statement where it is defined.',
  help: 'Split the ENV into two instructions: the variable is not yet defined inside the statement that defines it.',
  check(ctx) {
    const out: Violation[] = []
    const known = new Set<string>()
    for (const i of ctx.model.instructions) {
      if (i.keyword === 'ARG') {
        for (const d of argDecls(i)) known.add(d.name)
      } else if (i.keyword === 'ENV') {
        const pairs = envPairs(i)
        const hit = pairs.some(
          ([name], k) => !known.has(name) && pairs.some(([, value], j) => j !== k && refersTo(value, name))
        )
        if (hit) out.push(at(i))
        for (const [name] of pairs) known.add(name)
      }
    }
    return out
  }
}
