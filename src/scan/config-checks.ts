/** Checks of the image configuration and of risky file modes in the image (category `config`, SI3001–SI3006). */
import type { Finding, LayerRef, Location } from '../findings.js'
import type { DockerfileModel, Instruction } from '../dockerfile/parse.js'
import { envPairs } from '../dockerfile/parse.js'
import type { ImageConfig, ImageLayer } from './types.js'
import { SECRET_RULES } from './secrets.js'
import { builtStage } from './attribution.js'

export interface ModeEntry {
  /** Root-relative path. */
  path: string
  mode: number
  layer: ImageLayer
}

export interface ConfigCheckInput {
  config: ImageConfig
  /**
   * Setuid/setgid files in the final view, with the layer that added them. Only those of layers that are not
   * inherited are reported, so pass none when the layers could not be attributed (no Dockerfile).
   */
  setuid: ModeEntry[]
  /** World-writable directories without the sticky bit in the final view. */
  worldWritable: ModeEntry[]
  model?: DockerfileModel
  /** The Dockerfile path as the user gave it (defaults to the model's). */
  dockerfilePath?: string
  /** The stage that was built (`--target`); the last stage when not given. */
  target?: string
}

export const CONFIG_RULES = {
  root: { id: 'SI3001', severity: 'medium' },
  envSecret: { id: 'SI3002', severity: 'high' },
  labelSecret: { id: 'SI3003', severity: 'high' },
  ssh: { id: 'SI3004', severity: 'medium' },
  setuid: { id: 'SI3005', severity: 'medium' },
  worldWritable: { id: 'SI3006', severity: 'medium' }
} as const

const SECRET_NAME = /(SECRET|PASSWORD|PASSWD|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIALS?|AUTH_?KEY)/i
/** Names that look like secrets but hold paths or settings, not the secret itself. */
const NOT_SECRET_NAME =
  /(_FILE|_PATH|_DIR|_URL|_ENDPOINT|_LENGTH|_SIZE|_TTL|_TIMEOUT|_ENABLED|_TYPE|_HEADER|_NAME)$/i
const PLACEHOLDER = /^(|changeme|xxx+|\*+|<[^>]*>|\$\{[^}]*\}|example|placeholder|null|none|true|false|0|1)$/i

/** Why a variable or label looks like a secret (never its value), or undefined. */
export function secretReason(name: string, value: string): string | undefined {
  for (const r of SECRET_RULES) {
    if (r.pattern.test(value) || r.pattern.test(`${name}=${value}`)) return `its value looks like a ${r.kind}`
  }
  if (SECRET_NAME.test(name) && !NOT_SECRET_NAME.test(name) && !PLACEHOLDER.test(value.trim())) {
    return 'its name says it holds a credential and it has a value'
  }
  return undefined
}

function builtInstructions(model: DockerfileModel | undefined, target?: string): Instruction[] {
  const st = model ? builtStage(model, target) : undefined
  return st ? st.instructions : []
}

function loc(path: string, ins: Instruction | undefined): Location | undefined {
  return ins ? { path, startLine: ins.startLine, endLine: ins.endLine } : undefined
}

function layerRef(l: ImageLayer): LayerRef {
  const r: LayerRef = { digest: l.digest, inherited: l.inherited }
  if (l.createdBy) r.createdBy = l.createdBy
  return r
}

/** At most this many setuid and world-writable findings each; the rest are summed up in one more finding. */
export const MAX_MODE_FINDINGS = 50

export function checkConfig(input: ConfigCheckInput): Finding[] {
  const { config, model } = input
  const path = input.dockerfilePath ?? model?.path ?? 'Dockerfile'
  const ins = builtInstructions(model, input.target)
  const from = model ? builtStage(model, input.target)?.from : undefined
  const last = (kw: string, pred: (i: Instruction) => boolean = () => true): Instruction | undefined =>
    [...ins].reverse().find((i) => i.keyword === kw && pred(i)) ?? undefined
  const out: Finding[] = []
  const push = (f: Finding, at: Instruction | undefined): void => {
    const l = loc(path, at ?? from)
    if (l) f.location = l
    out.push(f)
  }

  const user = (config.User ?? '').trim()
  const userName = user.split(':')[0]
  if (userName === '' || userName === '0' || userName === 'root') {
    push(
      {
        category: 'config',
        ruleId: CONFIG_RULES.root.id,
        severity: CONFIG_RULES.root.severity,
        message: user
          ? `the image runs as root (User is "${user}")`
          : 'the image runs as root (no User is set)',
        help: 'Add a non-root user and end the final stage with `USER <name or uid>` (for example USER 10001).'
      },
      last('USER')
    )
  }

  for (const entry of config.Env ?? []) {
    const eq = entry.indexOf('=')
    const name = eq < 0 ? entry : entry.slice(0, eq)
    const value = eq < 0 ? '' : entry.slice(eq + 1)
    const why = secretReason(name, value)
    if (!why) continue
    push(
      {
        category: 'config',
        ruleId: CONFIG_RULES.envSecret.id,
        severity: CONFIG_RULES.envSecret.severity,
        message: `the environment variable ${name} is baked into the image config and ${why}`,
        help: 'Anyone who pulls the image can read its Env. Pass the secret at run time (an orchestrator secret or a mounted file) and use RUN --mount=type=secret during the build.'
      },
      last('ENV', (i) => envPairs(i).some(([k]) => k === name)) ?? last('ARG', (i) => i.args.includes(name))
    )
  }

  for (const [name, value] of Object.entries(config.Labels ?? {})) {
    const why = secretReason(name, value ?? '')
    if (!why) continue
    push(
      {
        category: 'config',
        ruleId: CONFIG_RULES.labelSecret.id,
        severity: CONFIG_RULES.labelSecret.severity,
        message: `the label ${name} ${why}`,
        help: 'Labels are public metadata of the image. Remove the credential from the label and rotate it.'
      },
      last('LABEL', (i) => envPairs(i).some(([k]) => k === name))
    )
  }

  for (const port of Object.keys(config.ExposedPorts ?? {})) {
    const [num, proto = 'tcp'] = port.split('/')
    if (num !== '22' || proto !== 'tcp') continue
    push(
      {
        category: 'config',
        ruleId: CONFIG_RULES.ssh.id,
        severity: CONFIG_RULES.ssh.severity,
        message: 'the image exposes the SSH port 22',
        help: 'Do not run an SSH server in a container; use `docker exec` or the orchestrator for access, and remove EXPOSE 22.'
      },
      last('EXPOSE', (i) => /(^|\s)22(\/tcp)?(\s|$)/.test(i.args))
    )
  }

  const ours = input.setuid.filter((s) => !s.layer.inherited)
  for (const s of ours.slice(0, MAX_MODE_FINDINGS)) {
    const bits = [s.mode & 0o4000 ? 'setuid' : '', s.mode & 0o2000 ? 'setgid' : ''].filter(Boolean).join('+')
    const f: Finding = {
      category: 'config',
      ruleId: CONFIG_RULES.setuid.id,
      severity: CONFIG_RULES.setuid.severity,
      message: `/${s.path} is ${bits} (mode ${(s.mode & 0o7777).toString(8)}), added by this image's own layer`,
      help: 'Remove the setuid/setgid bits unless the binary needs them (CIS Docker Benchmark 4.8): RUN chmod u-s,g-s <file>.',
      imagePath: '/' + s.path,
      layer: layerRef(s.layer)
    }
    if (s.layer.location) f.location = s.layer.location
    out.push(f)
  }

  if (ours.length > MAX_MODE_FINDINGS) {
    out.push({
      category: 'config',
      ruleId: CONFIG_RULES.setuid.id,
      severity: CONFIG_RULES.setuid.severity,
      message: `${ours.length - MAX_MODE_FINDINGS} more setuid/setgid files were added by this image's own layers`,
      help: 'List them with: find / -xdev -perm /6000 -type f'
    })
  }

  for (const d of input.worldWritable.slice(0, MAX_MODE_FINDINGS)) {
    const f: Finding = {
      category: 'config',
      ruleId: CONFIG_RULES.worldWritable.id,
      severity: CONFIG_RULES.worldWritable.severity,
      message: `/${d.path} is world-writable without the sticky bit (mode ${(d.mode & 0o7777).toString(8)})${d.layer.inherited ? ', inherited from the base' : ''}`,
      help: 'Any user can delete or replace files in it. Set the sticky bit (chmod +t) or remove write for others (chmod o-w).',
      imagePath: '/' + d.path,
      layer: layerRef(d.layer)
    }
    if (d.layer.location) f.location = d.layer.location
    out.push(f)
  }
  if (input.worldWritable.length > MAX_MODE_FINDINGS) {
    out.push({
      category: 'config',
      ruleId: CONFIG_RULES.worldWritable.id,
      severity: CONFIG_RULES.worldWritable.severity,
      message: `${input.worldWritable.length - MAX_MODE_FINDINGS} more world-writable directories without the sticky bit`,
      help: 'List them with: find / -xdev -type d -perm -0002 ! -perm -1000'
    })
  }
  return out
}
