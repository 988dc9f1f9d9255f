/**
 * Ignore files: `.secure-image-ignore` (a YAML list of entries, or one id per line), `.trivyignore` (one id per
 * line, with an optional `exp:YYYY-MM-DD`) and `.trivyignore.yaml`. An entry matches a finding by its rule id, advisory id or any alias,
 * and optionally by package and path. A matched finding is kept and marked `suppressed`, so it is reported as
 * ignored; an entry past its `expires` date stops applying, with a warning.
 *
 * Who may ignore what: an ignore file in the repository can be added by any pull request, so it cannot switch off
 * the gates that protect the supply chain. `.trivyignore` and `.trivyignore.yaml` apply to vulnerabilities only
 * (as in Trivy's vulnerability scan); `.secure-image-ignore` to vulnerabilities, lint and config findings. Policy
 * (approved registries, digests, provenance) and secret findings may be ignored only from the config file, by an
 * entry with a reason and an expiry date.
 */
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { parse as parseYaml } from 'yaml'
import type { Finding } from '../findings.js'

export interface IgnoreEntry {
  id: string
  package?: string
  path?: string
  reason?: string
  /** `YYYY-MM-DD`: the entry applies through the end of that day (UTC). */
  expires?: string
  /** Where the entry came from (the file name, or the config file). */
  source: string
  /** True for entries of the repository config file, the one reviewed place that may ignore any finding. */
  fromConfig?: boolean
}

/** Categories that only a config-file entry with a reason and an expiry may ignore. */
const GUARDED = new Set<Finding['category']>(['policy', 'secret'])

/** Why an entry may not ignore a finding of this category, or undefined when it may. */
export function ignoreRefusal(e: IgnoreEntry, category: Finding['category']): string | undefined {
  if (GUARDED.has(category)) {
    if (!e.fromConfig)
      return `${category} findings may be ignored only from the config file, with a reason and an expiry`
    if (!e.reason || !e.expires)
      return `ignoring a ${category} finding needs both a reason and an expires date`
    return undefined
  }
  // A coverage gap (something the scan could not see) is only ignored with a reason.
  if (category === 'coverage' && !e.reason) return 'it has no reason; a coverage gap is only ignored with one'
  if (!e.fromConfig && /^\.trivyignore/.test(e.source) && category !== 'vulnerability')
    return `${e.source} applies to vulnerabilities only`
  return undefined
}

const DATE = /^\d{4}-\d{2}-\d{2}$/

/** Parses `ID [exp:YYYY-MM-DD] [# reason]` lines. */
function parseLines(text: string, source: string): IgnoreEntry[] {
  const out: IgnoreEntry[] = []
  for (const raw of text.split(/\r?\n/)) {
    const hash = raw.indexOf('#')
    const body = (hash >= 0 ? raw.slice(0, hash) : raw).trim()
    const comment = hash >= 0 ? raw.slice(hash + 1).trim() : ''
    if (!body) continue
    const tokens = body.split(/\s+/)
    const entry: IgnoreEntry = { id: tokens[0], source }
    for (const t of tokens.slice(1)) {
      if (t.startsWith('exp:')) entry.expires = t.slice(4)
      else if (t.startsWith('package:')) entry.package = t.slice(8)
      else if (t.startsWith('path:')) entry.path = t.slice(5)
    }
    if (comment) entry.reason = comment
    out.push(entry)
  }
  return out
}

const LIST_KEYS = ['ignore', 'ignores', 'vulnerabilities', 'misconfigurations', 'secrets', 'licenses']

function fromYaml(value: unknown, source: string): IgnoreEntry[] {
  let list: unknown[]
  if (Array.isArray(value)) list = value
  else {
    const o = value as Record<string, unknown>
    const lists = LIST_KEYS.map((k) => o[k]).filter((v): v is unknown[] => Array.isArray(v))
    if (lists.length === 0)
      throw new Error(
        `${source} must be a YAML list of ignore entries (or one id per line), or have a "vulnerabilities:" list`
      )
    list = lists.flat()
  }
  return list.flatMap((item, i): IgnoreEntry[] => {
    if (typeof item === 'string') return [{ id: item, source }]
    if (!item || typeof item !== 'object')
      throw new Error(`${source}: entry ${i + 1} is neither an id nor a mapping`)
    const o = item as Record<string, unknown>
    const id = o.id ?? o.vulnerability
    if (typeof id !== 'string' || !id) throw new Error(`${source}: entry ${i + 1} has no "id"`)
    const str = (k: string): string | undefined => {
      const v = o[k]
      if (v === undefined || v === null) return undefined
      if (v instanceof Date) return v.toISOString().slice(0, 10)
      return String(v)
    }
    const strs = (k: string): (string | undefined)[] => {
      const v = o[k]
      return Array.isArray(v) && v.length > 0 ? v.map(String) : [undefined]
    }
    const base: IgnoreEntry = { id, source }
    const reason = str('reason') ?? str('statement')
    const expires = str('expires') ?? str('expired_at')
    if (reason) base.reason = reason
    if (expires) base.expires = expires
    // `.trivyignore.yaml` lists `paths` and `purls`: one entry per combination.
    const packages = str('package') !== undefined ? [str('package')] : strs('purls')
    const paths = str('path') !== undefined ? [str('path')] : strs('paths')
    return packages.flatMap((pkg) =>
      paths.map((p) => ({ ...base, ...(pkg ? { package: pkg } : {}), ...(p ? { path: p } : {}) }))
    )
  })
}

/** Parses the text of one ignore file; `name` picks the format (`.trivyignore` is always lines). */
export function parseIgnoreFile(text: string, name: string): IgnoreEntry[] {
  const source = path.basename(name)
  if (source === '.trivyignore') return parseLines(text, source)
  let value: unknown
  try {
    value = parseYaml(text)
  } catch {
    return parseLines(text, source)
  }
  if (value === null || value === undefined) return []
  if (typeof value === 'object') return fromYaml(value, source)
  return parseLines(text, source)
}

/** Reads `.secure-image-ignore`, `.trivyignore` and `.trivyignore.yaml` from `dir` (missing files give no entries). */
export function loadIgnoreFiles(dir: string): IgnoreEntry[] {
  const out: IgnoreEntry[] = []
  for (const name of ['.secure-image-ignore', '.trivyignore', '.trivyignore.yaml']) {
    const file = path.join(dir, name)
    if (!existsSync(file)) continue
    let text: string
    try {
      text = readFileSync(file, 'utf8')
    } catch (err) {
      throw new Error(`cannot read ${file}: ${(err as Error).message}`, { cause: err })
    }
    out.push(...parseIgnoreFile(text, file))
  }
  return out
}

/** A purl without version, qualifiers and subpath: `pkg:deb/debian/libpam0g@1.5?distro=x` → `pkg:deb/debian/libpam0g`. */
function purlBase(purl: string): string {
  return purl.replace(/[?#].*$/, '').replace(/@[^/]*$/, '')
}

function matches(f: Finding, e: IgnoreEntry): boolean {
  const id = e.id.toUpperCase()
  const ids = [f.ruleId, f.vulnerability?.id, ...(f.vulnerability?.aliases ?? [])]
  if (!ids.some((x) => x !== undefined && x.toUpperCase() === id)) return false
  if (e.package) {
    const p = f.package
    if (!p) return false
    const byPurl = e.package.startsWith('pkg:') && p.purl && purlBase(p.purl) === purlBase(e.package)
    if (!byPurl && ![p.name, p.source, p.purl].includes(e.package)) return false
  }
  if (e.path) {
    const want = e.path.replace(/^\.?\//, '')
    const paths = [f.location?.path, f.imagePath, f.package?.path].filter((x): x is string => Boolean(x))
    if (
      !paths.some((x) => x.replace(/^\.?\//, '') === want || x.replace(/^\.?\//, '').startsWith(`${want}/`))
    )
      return false
  }
  return true
}

/**
 * Marks the findings that an active entry matches as suppressed (never dropping them). Entries past their
 * `expires` date, or with an unreadable date, do not apply and give a warning.
 */
export function applyIgnores(
  findings: Finding[],
  entries: IgnoreEntry[],
  now: Date = new Date()
): { findings: Finding[]; warnings: string[] } {
  const warnings: string[] = []
  const active: IgnoreEntry[] = []
  for (const e of entries) {
    if (e.expires !== undefined) {
      const end = DATE.test(e.expires) ? Date.parse(`${e.expires}T23:59:59.999Z`) : NaN
      if (Number.isNaN(end)) {
        warnings.push(
          `ignore entry ${e.id} in ${e.source} has an invalid expires date "${e.expires}" (want YYYY-MM-DD); it does not apply`
        )
        continue
      }
      if (now.getTime() > end) {
        warnings.push(`ignore entry ${e.id} in ${e.source} expired on ${e.expires}; it no longer applies`)
        continue
      }
    }
    active.push(e)
  }
  const refused = new Set<string>()
  const out = findings.map((f) => {
    if (f.suppressed) return f
    const e = active.find((a) => {
      if (!matches(f, a)) return false
      const why = ignoreRefusal(a, f.category)
      if (!why) return true
      const w = `ignore entry ${a.id} in ${a.source} does not apply to the ${f.category} finding ${f.ruleId}: ${why}`
      if (!refused.has(w)) {
        refused.add(w)
        warnings.push(w)
      }
      return false
    })
    if (!e) return f
    return {
      ...f,
      suppressed: {
        source: e.source,
        ...(e.reason ? { reason: e.reason } : {}),
        ...(e.expires ? { expires: e.expires } : {})
      }
    }
  })
  return { findings: out, warnings }
}
