/**
 * Base-image advice. When most vulnerabilities came with the base image, the fix is a newer base rather than
 * package upgrades in the Dockerfile. The registry is asked for a newer tag of the same repository (tag list
 * API: `12.1` → the highest `12.x` with the same suffix), or, for a tag such as `bookworm` or `latest`, whether
 * it now points at another digest than the one built on. That image is scanned, and the inherited findings it
 * no longer has are counted. When the registry cannot tell, the advice says so and gives no count.
 */
import type { BaseImageAdvice, Finding } from '../findings.js'
import { parseRef } from '../docker/tags.js'
import { findingKey } from './classify.js'
import { loadBaseline, type LoadOptions } from './load.js'
import { RegistryClient } from './registry.js'

/** Inherited vulnerabilities dominate: at least one, and at least half of all vulnerabilities. */
export function inheritedDominate(findings: Finding[]): {
  inherited: number
  total: number
  dominate: boolean
} {
  const vulns = findings.filter((f) => f.category === 'vulnerability' && !f.suppressed)
  const inherited = vulns.filter((f) => f.layer?.inherited).length
  return { inherited, total: vulns.length, dominate: inherited > 0 && inherited * 2 >= vulns.length }
}

interface Version {
  nums: number[]
  prefix: string
  suffix: string
}

function parseVersion(tag: string): Version | undefined {
  const m = /^(v?)(\d+(?:\.\d+)*)(.*)$/.exec(tag)
  if (!m) return undefined
  return { prefix: m[1], nums: m[2].split('.').map(Number), suffix: m[3] }
}

function compareNums(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0)
    if (d !== 0) return d
  }
  return 0
}

/**
 * The newest tag of the same line as `current`: same prefix, suffix and number of parts, the same major
 * version when there are two parts or more, and higher than `current`. Undefined when there is none.
 */
export function newerTag(current: string, tags: string[]): string | undefined {
  const cur = parseVersion(current)
  if (!cur) return undefined
  let best: { tag: string; v: Version } | undefined
  for (const tag of tags) {
    const v = parseVersion(tag)
    if (!v || v.prefix !== cur.prefix || v.suffix !== cur.suffix || v.nums.length !== cur.nums.length)
      continue
    if (cur.nums.length > 1 && v.nums[0] !== cur.nums[0]) continue
    if (compareNums(v.nums, cur.nums) <= 0) continue
    if (!best || compareNums(v.nums, best.v.nums) > 0) best = { tag, v }
  }
  return best?.tag
}

export interface AdviceInput {
  findings: Finding[]
  /** The final stage's base as written (`127.0.0.1:5000/base/debian:12.1`). */
  base: string
  /** The repo digests the engine knows for the base it built on (`repo@sha256:…`). */
  baseRepoDigests: string[]
  load: LoadOptions
}

/** The advice, or undefined when inherited findings do not dominate. Never throws. */
export async function baseImageAdvice(input: AdviceInput): Promise<BaseImageAdvice | undefined> {
  const { inherited, total, dominate } = inheritedDominate(input.findings)
  if (!dominate) return undefined
  const advice: BaseImageAdvice = { base: input.base, inherited, total }
  try {
    const p = parseRef(input.base)
    const client = new RegistryClient(p.registry, p.repository, input.load.auth)
    const tag = p.tag ?? (p.digest ? undefined : 'latest')
    let candidate: string | undefined
    if (tag) {
      const newer = newerTag(tag, await client.tags())
      const repoName = input.base.slice(0, repoLength(input.base))
      if (newer) {
        candidate = `${repoName}:${newer}`
      } else {
        const now = await client.digestOf(tag)
        const built = input.baseRepoDigests.map((d) => d.slice(d.indexOf('@') + 1))
        if (now && !built.includes(now)) candidate = `${repoName}:${tag}@${now}`
      }
    }
    if (!candidate) {
      advice.note =
        p.digest && !tag
          ? 'the base is pinned by digest only: no newer tag can be looked up'
          : 'the registry has no newer tag or digest of this base'
      return advice
    }
    const scanned = await loadBaseline(candidate, input.load)
    if (!scanned.found) {
      advice.candidate = candidate
      advice.note = `the newer base could not be scanned: ${scanned.reason ?? 'unknown reason'}`
      return advice
    }
    const keys = new Set(scanned.findings.map(findingKey))
    advice.candidate = candidate
    advice.fixable = input.findings.filter(
      (f) => f.category === 'vulnerability' && !f.suppressed && f.layer?.inherited && !keys.has(findingKey(f))
    ).length
  } catch (err) {
    advice.note = `the registry could not be asked for a newer base: ${(err as Error).message}`
  }
  return advice
}

/** The length of the repository part of a reference (without `:tag` and `@digest`). */
function repoLength(ref: string): number {
  let r = ref
  const at = r.indexOf('@')
  if (at >= 0) r = r.slice(0, at)
  const colon = r.lastIndexOf(':')
  if (colon > r.lastIndexOf('/')) r = r.slice(0, colon)
  return r.length
}
