/** The value checks of hadolint's label-schema types. */
import semver from 'semver'
import { isSupportedSpdxId } from '@cyclonedx/cyclonedx-library/SPDX'
import { schemaLabels, type LabelPair } from './labels.js'
import { at, type RuleContext, type Violation } from './rule.js'

export function isUrl(v: string): boolean {
  try {
    const u = new URL(v)
    return /^[a-z][a-z0-9+.-]*:$/.test(u.protocol)
  } catch {
    return false
  }
}

export function isRfc3339(v: string): boolean {
  return (
    /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(v) &&
    !Number.isNaN(Date.parse(v))
  )
}

/** An SPDX license expression: ids joined by AND / OR, with optional `WITH exception` and parentheses. */
export function isSpdx(v: string): boolean {
  const tokens = v.replace(/[()]/g, ' ').split(/\s+/).filter(Boolean)
  if (tokens.length === 0) return false
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]
    if (t === 'AND' || t === 'OR') continue
    if (t === 'WITH') {
      i++
      continue
    }
    const id = t.replace(/\+$/, '')
    if (!isSupportedSpdxId(id) && !/^LicenseRef-[A-Za-z0-9.-]+$/.test(id)) return false
  }
  return true
}

export function isGitHash(v: string): boolean {
  return /^[0-9a-f]{7,40}$/.test(v)
}

export function isSemver(v: string): boolean {
  return semver.valid(v) !== null
}

export function isEmail(v: string): boolean {
  return /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$/.test(
    v
  )
}

/** The violations of the labels of one schema type whose value fails `valid`. */
export function checkLabelType(
  ctx: RuleContext,
  type: string,
  valid: (v: string) => boolean,
  what: string
): Violation[] {
  return schemaLabels(ctx.model, ctx.config.labelSchema, type)
    .filter((l: LabelPair) => l.value !== '' && !l.value.includes('$') && !valid(l.value))
    .map((l) => at(l.ins, `Label \`${l.key}\` ${what}.`))
}
