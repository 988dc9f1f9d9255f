import { envPairs } from '../../dockerfile/parse.js'
import { at, effective, type Rule, type Violation } from '../rule.js'

/** The variable names a value refers to (`$X`, `${X}`, `${X:-y}`), skipping escaped `\$`. */
export function referencedVars(value: string): string[] {
  const out: string[] = []
  const re = /(\\?)\$(?:\{([A-Za-z_][A-Za-z0-9_]*)|([A-Za-z_][A-Za-z0-9_]*))/g
  let m
  while ((m = re.exec(value))) if (!m[1]) out.push(m[2] ?? m[3])
  return out
}

export const DL3044: Rule = {
  id: 'DL3044',
  severity: 'error',
  message: 'Do not refer to an environment variable within the same `ENV` statement where it is defined.',
  help: 'Split the ENV into two instructions: the variable is not yet defined inside the statement that defines it.',
  check(ctx) {
    const out: Violation[] = []
    for (const i of effective(ctx.model).filter((x) => x.keyword === 'ENV')) {
      if (!i.argv[0]?.includes('=')) continue
      const pairs = envPairs(i)
      const defined = new Set<string>()
      let hit = false
      for (const [k, v] of pairs) {
        if (referencedVars(v).some((r) => defined.has(r) && r !== k)) hit = true
        defined.add(k)
      }
      if (hit) out.push(at(i))
    }
    return out
  }
}
