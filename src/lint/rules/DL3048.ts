import { labelsOf } from '../labels.js'
import { at, type Rule, type Violation } from '../rule.js'

const RESERVED = ['com.docker.', 'io.docker.', 'org.dockerproject.']

export function validLabelKey(key: string): boolean {
  if (RESERVED.some((r) => key.startsWith(r))) return false
  return /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/.test(key) && !/[.-]{2}/.test(key)
}

export const DL3048: Rule = {
  id: 'DL3048',
  severity: 'style',
  message: 'Invalid Label Key',
  help: 'Use lower-case letters, digits, `.` and `-` (e.g. `org.opencontainers.image.source`), not the reserved com.docker./io.docker./org.dockerproject. namespaces.',
  check(ctx) {
    const out: Violation[] = []
    for (const st of ctx.model.stages) {
      for (const l of labelsOf(st)) {
        if (!l.key.includes('$') && !validLabelKey(l.key))
          out.push(at(l.ins, `Invalid label key \`${l.key}\`.`))
      }
    }
    return out
  }
}
