/**
 * Variable substitution as BuildKit's shell lexer does it for Dockerfile instructions: `$VAR`, `${VAR}`,
 * `${VAR:-default}`, `${VAR-default}`, `${VAR:+alt}`, `${VAR+alt}`, and the escape character before `$`.
 * A variable that is not defined is collected in `unresolved`, never guessed.
 */
export interface Expansion {
  value: string
  unresolved: string[]
}

export type Vars = ReadonlyMap<string, string | undefined>

export function expand(text: string, vars: Vars, escape = '\\'): Expansion {
  const unresolved: string[] = []
  let out = ''
  let i = 0
  while (i < text.length) {
    const c = text[i]
    if (c === escape && text[i + 1] === '$') {
      out += '$'
      i += 2
      continue
    }
    if (c !== '$') {
      out += c
      i++
      continue
    }
    const next = text[i + 1]
    if (next === '{') {
      const close = findClose(text, i + 2)
      if (close < 0) {
        out += text.slice(i)
        break
      }
      const body = text.slice(i + 2, close)
      out += expandBraced(body, vars, escape, unresolved)
      i = close + 1
      continue
    }
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i + 1))
    if (!m) {
      out += c
      i++
      continue
    }
    const name = m[0]
    const v = vars.get(name)
    if (v === undefined) unresolved.push(name)
    out += v ?? ''
    i += 1 + name.length
  }
  return { value: out, unresolved: [...new Set(unresolved)] }
}

function findClose(text: string, from: number): number {
  let depth = 1
  for (let j = from; j < text.length; j++) {
    if (text[j] === '{') depth++
    else if (text[j] === '}' && --depth === 0) return j
  }
  return -1
}

function expandBraced(body: string, vars: Vars, escape: string, unresolved: string[]): string {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])(.*))?$/s.exec(body)
  if (!m) return '${' + body + '}'
  const [, name, op, word = ''] = m
  const v = vars.get(name)
  const set = v !== undefined
  const nonEmpty = set && v !== ''
  if (op === ':-' || op === '-') {
    const useValue = op === ':-' ? nonEmpty : set
    if (useValue) return v as string
    const inner = expand(word, vars, escape)
    unresolved.push(...inner.unresolved)
    return inner.value
  }
  if (op === ':+' || op === '+') {
    const useAlt = op === ':+' ? nonEmpty : set
    if (!useAlt) return ''
    const inner = expand(word, vars, escape)
    unresolved.push(...inner.unresolved)
    return inner.value
  }
  if (!set) unresolved.push(name)
  return v ?? ''
}
