/**
 * hadolint's configuration file (`.hadolint.yaml` / `.hadolint.yml`): `ignored`, `override`,
 * `failure-threshold`, `trustedRegistries`, `label-schema`, `strict-labels`, `disable-ignore-pragma`. The keys
 * that only change hadolint's own output (`format`, `no-color`, `no-fail`, `verbose`) are accepted and have no
 * effect here. Any other key, or a value of the wrong type, is an error naming the key and the file.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse as parseYaml } from 'yaml'
import { z } from 'zod'
import type { Severity } from '../findings.js'

export type HadolintLevel = 'error' | 'warning' | 'info' | 'style'

export interface HadolintConfig {
  /** Rule ids that are not run at all. */
  ignored: string[]
  /** Rule ids whose level is changed. */
  override: { error: string[]; warning: string[]; info: string[]; style: string[] }
  /** hadolint's `failure-threshold`, mapped onto the one scale (`none`/`ignore` → `critical`: lint never fails). */
  failureThreshold?: Severity
  /** DL3026: the registries FROM images may come from; empty means the rule is off. */
  trustedRegistries: string[]
  /** DL3049–DL3058: label name → type (`text`, `url`, `semver`, `hash`, `rfc3339`, `spdx`, `email`). */
  labelSchema: Record<string, string>
  /** DL3050: labels outside `labelSchema` are reported. */
  strictLabels: boolean
  /** When true, inline `# hadolint ignore=…` pragmas are not honoured. */
  disableIgnorePragma?: boolean
}

export const LEVEL_TO_SEVERITY: Record<HadolintLevel, Severity> = {
  error: 'high',
  warning: 'medium',
  info: 'low',
  style: 'info'
}

export const LABEL_TYPES = ['text', 'url', 'semver', 'hash', 'rfc3339', 'spdx', 'email'] as const

export function defaultHadolintConfig(): HadolintConfig {
  return {
    ignored: [],
    override: { error: [], warning: [], info: [], style: [] },
    trustedRegistries: [],
    labelSchema: {},
    strictLabels: false
  }
}

const ruleList = z.array(z.string().regex(/^[A-Za-z]+[0-9]+$/, 'a rule id such as DL3008'))
const schema = z.strictObject({
  ignored: ruleList.optional(),
  override: z
    .strictObject({
      error: ruleList.optional(),
      warning: ruleList.optional(),
      info: ruleList.optional(),
      style: ruleList.optional()
    })
    .optional(),
  'failure-threshold': z.enum(['error', 'warning', 'info', 'style', 'ignore', 'none']).optional(),
  trustedRegistries: z.array(z.string()).optional(),
  'label-schema': z.record(z.string(), z.enum(LABEL_TYPES)).optional(),
  'strict-labels': z.boolean().optional(),
  'disable-ignore-pragma': z.boolean().optional(),
  format: z.string().optional(),
  'no-color': z.boolean().optional(),
  'no-fail': z.boolean().optional(),
  verbose: z.boolean().optional()
})

/** Parses and validates the text of a hadolint config file; `file` names it in errors. */
export function parseHadolintConfig(text: string, file: string): HadolintConfig {
  let data: unknown
  try {
    data = parseYaml(text)
  } catch (err) {
    throw new Error(`${file}: not valid YAML: ${(err as Error).message.split('\n')[0]}`, { cause: err })
  }
  if (data === null || data === undefined) return defaultHadolintConfig()
  const res = schema.safeParse(data)
  if (!res.success) {
    const issue = res.error.issues[0]
    let key = issue.path.join('.')
    let what = issue.message
    if (issue.code === 'unrecognized_keys') {
      key = [...issue.path, ...issue.keys].join('.')
      what =
        'unknown key (expected one of: ignored, override, failure-threshold, trustedRegistries, label-schema, strict-labels)'
    }
    throw new Error(`${file}: invalid hadolint config at '${key || '(top level)'}': ${what}`)
  }
  const d = res.data
  const cfg = defaultHadolintConfig()
  cfg.ignored = (d.ignored ?? []).map((s) => s.toUpperCase())
  for (const level of ['error', 'warning', 'info', 'style'] as const) {
    cfg.override[level] = (d.override?.[level] ?? []).map((s) => s.toUpperCase())
  }
  const ft = d['failure-threshold']
  if (ft) cfg.failureThreshold = ft === 'ignore' || ft === 'none' ? 'critical' : LEVEL_TO_SEVERITY[ft]
  cfg.trustedRegistries = d.trustedRegistries ?? []
  cfg.labelSchema = d['label-schema'] ?? {}
  cfg.strictLabels = d['strict-labels'] ?? false
  if (d['disable-ignore-pragma'] !== undefined) cfg.disableIgnorePragma = d['disable-ignore-pragma']
  return cfg
}

export const CONFIG_NAMES = ['.hadolint.yaml', '.hadolint.yml']

/** The first `.hadolint.yaml` / `.hadolint.yml` found, looking in each directory in order. */
export function findHadolintConfig(dirs: string[]): string | undefined {
  for (const dir of dirs) {
    for (const name of CONFIG_NAMES) {
      const p = join(dir, name)
      if (existsSync(p)) return p
    }
  }
  return undefined
}

/** Reads and validates a hadolint config file. */
export function loadHadolintConfig(path: string): HadolintConfig {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    throw new Error(
      `cannot read the hadolint config ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      { cause: err }
    )
  }
  return parseHadolintConfig(text, path)
}
