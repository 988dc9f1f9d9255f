/**
 * The repository config file (`.github/secure-image.yml` by default): one reviewed place for registries,
 * thresholds, lint overrides, vulnerability ignores and push rules. Validated with zod; unknown keys and wrong
 * types are errors that name the key and its line.
 */
import { readFileSync } from 'node:fs'
import { LineCounter, parseDocument, isMap, isSeq, isPair, isScalar, type Node as YamlNode } from 'yaml'
import { z } from 'zod'
import { SEVERITIES, type Category, type Severity } from './findings.js'

const severity = z.enum(SEVERITIES)
const stringList = z.union([z.string(), z.array(z.string())])
const dateString = z.union([
  z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD'),
  z.date().transform((d) => d.toISOString().slice(0, 10))
])

const thresholds = z.union([
  severity,
  z
    .object({
      default: severity.optional(),
      lint: severity.optional(),
      policy: severity.optional(),
      vulnerability: severity.optional(),
      secret: severity.optional(),
      config: severity.optional(),
      coverage: severity.optional()
    })
    .strict()
])

export const configSchema = z
  .object({
    'allowed-registries': stringList.optional(),
    'require-digest': z.boolean().optional(),
    'severity-threshold': thresholds.optional(),
    'ignore-unfixed': z.boolean().optional(),
    'unknown-severity': severity.optional(),
    'scan-failure': z.enum(['fail', 'warn']).optional(),
    lint: z
      .object({
        ignored: z.array(z.string()).optional(),
        override: z
          .object({
            error: z.array(z.string()).optional(),
            warning: z.array(z.string()).optional(),
            info: z.array(z.string()).optional(),
            style: z.array(z.string()).optional()
          })
          .strict()
          .optional(),
        trustedRegistries: z.array(z.string()).optional()
      })
      .strict()
      .optional(),
    ignore: z
      .array(
        z
          .object({
            id: z.string().min(1),
            package: z.string().optional(),
            path: z.string().optional(),
            reason: z.string().min(1, 'every ignore needs a reason'),
            expires: dateString.optional()
          })
          .strict()
      )
      .optional(),
    'smoke-test': z
      .union([
        z.boolean(),
        z
          .object({ enabled: z.boolean().optional(), seconds: z.number().int().positive().optional() })
          .strict()
      ])
      .optional(),
    sign: z.enum(['auto', 'true', 'false']).optional(),
    'require-signed-base': z.boolean().optional(),
    'trusted-keys': stringList.optional(),
    'trusted-identities': z
      .array(z.object({ issuer: z.string().min(1), identity: z.string().min(1) }).strict())
      .optional(),
    push: z
      .object({
        branches: z.array(z.string()).optional(),
        tags: z.array(z.string()).optional()
      })
      .strict()
      .optional()
  })
  .strict()

export type RepoConfigFile = z.infer<typeof configSchema>

export interface RepoConfig {
  file?: string
  allowedRegistries?: string[]
  requireDigest?: boolean
  severityThreshold?: Severity | (Partial<Record<Category, Severity>> & { default?: Severity })
  ignoreUnfixed?: boolean
  unknownSeverity?: Severity
  scanFailure?: 'fail' | 'warn'
  lint?: {
    ignored: string[]
    override: { error: string[]; warning: string[]; info: string[]; style: string[] }
    trustedRegistries?: string[]
  }
  ignore: { id: string; package?: string; path?: string; reason: string; expires?: string }[]
  smokeTest?: { enabled: boolean; seconds?: number }
  push?: { branches?: string[]; tags?: string[] }
  sign?: 'auto' | 'true' | 'false'
  requireSignedBase?: boolean
  /** PEM text or key file paths (relative to the workspace). */
  trustedKeys?: string[]
  trustedIdentities?: { issuer: string; identity: string }[]
}

export class ConfigError extends Error {
  override name = 'ConfigError'
}

/** Parses config text. `file` is only used in messages. */
export function parseRepoConfig(text: string, file: string): RepoConfig {
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true })
  if (doc.errors.length > 0) {
    const e = doc.errors[0]
    const pos = lineCounter.linePos(e.pos[0])
    throw new ConfigError(`${file}:${pos.line}: invalid YAML: ${e.message.split('\n')[0]}`)
  }
  const data: unknown = doc.toJS() ?? {}
  const parsed = configSchema.safeParse(data)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    let path = issue.path.map(String)
    let message = issue.message
    if (issue.code === 'unrecognized_keys') {
      path = [...path, ...issue.keys.slice(0, 1)]
      message = `unknown key "${issue.keys[0]}"`
    }
    const node = nodeAt(doc.contents as YamlNode | null, path)
    const line = node ? lineCounter.linePos(node).line : 1
    const key = path.length > 0 ? path.join('.') : '(top level)'
    throw new ConfigError(`${file}:${line}: ${key}: ${message}`)
  }
  const c = parsed.data
  const out: RepoConfig = { file, ignore: c.ignore ?? [] }
  if (c['allowed-registries'] !== undefined) {
    out.allowedRegistries =
      typeof c['allowed-registries'] === 'string'
        ? splitList(c['allowed-registries'])
        : c['allowed-registries']
  }
  if (c['require-digest'] !== undefined) out.requireDigest = c['require-digest']
  if (c['severity-threshold'] !== undefined) out.severityThreshold = c['severity-threshold']
  if (c['ignore-unfixed'] !== undefined) out.ignoreUnfixed = c['ignore-unfixed']
  if (c['unknown-severity'] !== undefined) out.unknownSeverity = c['unknown-severity']
  if (c['scan-failure'] !== undefined) out.scanFailure = c['scan-failure']
  if (c.lint) {
    out.lint = {
      ignored: c.lint.ignored ?? [],
      override: {
        error: c.lint.override?.error ?? [],
        warning: c.lint.override?.warning ?? [],
        info: c.lint.override?.info ?? [],
        style: c.lint.override?.style ?? []
      }
    }
    if (c.lint.trustedRegistries) out.lint.trustedRegistries = c.lint.trustedRegistries
  }
  const smoke = c['smoke-test']
  if (smoke !== undefined) {
    out.smokeTest =
      typeof smoke === 'boolean'
        ? { enabled: smoke }
        : { enabled: smoke.enabled ?? true, ...(smoke.seconds ? { seconds: smoke.seconds } : {}) }
  }
  if (c.push) out.push = c.push
  if (c.sign !== undefined) out.sign = c.sign
  if (c['require-signed-base'] !== undefined) out.requireSignedBase = c['require-signed-base']
  if (c['trusted-keys'] !== undefined) {
    const k = c['trusted-keys']
    out.trustedKeys = typeof k === 'string' ? [k] : k
  }
  if (c['trusted-identities'] !== undefined) out.trustedIdentities = c['trusted-identities']
  return out
}

/** Reads the config file. A missing file is fine unless `required` (the user named it explicitly). */
export function loadRepoConfig(file: string, required: boolean): RepoConfig | undefined {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOENT' && !required) return undefined
    if (code === 'ENOENT') throw new ConfigError(`config file ${file} does not exist`)
    throw new ConfigError(`cannot read config file ${file}: ${(err as Error).message}`)
  }
  return parseRepoConfig(text, file)
}

export function splitList(value: string): string[] {
  return value
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
}

function nodeAt(root: YamlNode | null, path: string[]): number | undefined {
  let node: unknown = root
  let last: number | undefined = rangeStart(root)
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === key)
      if (!pair) break
      last = rangeStart(pair.key as YamlNode) ?? last
      node = pair.value
      if (rangeStart(node as YamlNode) !== undefined && !isMap(node) && !isSeq(node))
        last = rangeStart(node as YamlNode)
    } else if (isSeq(node)) {
      const item = node.items[Number(key)]
      if (item === undefined) break
      last = rangeStart(item as YamlNode) ?? last
      node = item
    } else {
      break
    }
  }
  return last
}

function rangeStart(node: YamlNode | null | undefined): number | undefined {
  const r = (node as { range?: [number, number, number] } | null | undefined)?.range
  return r ? r[0] : undefined
}
