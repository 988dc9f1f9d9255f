import type { Instruction } from '../../dockerfile/parse.js'
import { labelsOf } from '../labels.js'
import { at, type Rule } from '../rule.js'

const RESERVED = ['com.docker.', 'io.docker.', 'org.dockerproject.']

/**
 * As hadolint: a label key starts with a lower-case letter, ends with a lower-case letter or a digit, holds
 * only lower-case letters, digits, `.` and `-`, has no `..` or `--`, and stays out of Docker's reserved
 * namespaces.
 */
export function validLabelKey(key: string): boolean {
  if (RESERVED.some((r) => key.startsWith(r))) return false
  if (key.includes('..') || key.includes('--')) return false
  return /^[a-z]([a-z0-9.-]*[a-z0-9])?$/.test(key)
}

export const DL3048: Rule = {
  id: 'DL3048',
  severity: 'style',
  message: 'Invalid Label Key',
  help: 'Use lower-case letters, digits, `.` and `-`, starting with a letter (e.g. `org.opencontainers.image.source`), not the reserved com.docker./io.docker./org.dockerproject. namespaces.',
  check(ctx) {
    const bad = new Map<Instruction, string[]>()
    for (const st of ctx.model.stages) {
      for (const l of labelsOf(st)) {
        if (validLabelKey(l.key)) continue
        bad.set(l.ins, [...(bad.get(l.ins) ?? []), l.key])
      }
    }
    return [...bad].map(([ins, keys]) =>
      at(ins, `Invalid label key: ${keys.map((k) => `\`${k}\``).join(', ')}.`)
    )
  }
}
