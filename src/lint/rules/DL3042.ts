import { envPairs, type Instruction } from '../../dockerfile/parse.js'
import {
  hasCacheOrTmpfsMount,
  hasSequence,
  hcommandsNamed,
  isPipInstall,
  PIP_NAME,
  type HCommand
} from '../hshell.js'
import { at, type Rule, type RuleContext, type Violation } from '../rule.js'
import { imageName, rawAlias } from '../stages.js'

const TRUTHY = ['1', 'true', 'True', 'TRUE', 'on', 'On', 'ON', 'yes', 'Yes', 'YES']

/**
 * As hadolint: a pip install without `--no-cache-dir` keeps pip's cache in the layer. It is fine when
 * `PIP_NO_CACHE_DIR` is set to a truthy value: by an ENV earlier in the stage, or in the stage it is built FROM
 * (stages are known by their alias, or by their image name when they have none); or anywhere in the RUN's text
 * (`PIP_NO_CACHE_DIR=1 pip …`, `export PIP_NO_CACHE_DIR=yes && …`: hadolint reads the text after the first
 * `PIP_NO_CACHE_DIR=` and asks whether it starts with a truthy word). `pipx` and `pipenv` are not checked, and a
 * cache or tmpfs mount on pip's cache (`.cache/pip`) is fine.
 */
export const DL3042: Rule = {
  id: 'DL3042',
  severity: 'warning',
  message: 'Avoid use of cache directory with pip. Use `pip install --no-cache-dir <package>`',
  help: 'Write `pip install --no-cache-dir …`, set `ENV PIP_NO_CACHE_DIR=1`, or use a cache mount for /root/.cache/pip.',
  check(ctx) {
    // As hadolint, twice: over the Dockerfile's own instructions, and over the ONBUILD triggers alone (a child
    // image runs those, so the ENVs of this Dockerfile's stages do not count for them).
    const main = ctx.model.instructions.filter((i) => i.keyword !== 'ONBUILD')
    const triggers = ctx.model.instructions.flatMap((i) =>
      i.keyword === 'ONBUILD' && i.trigger ? [i.trigger] : []
    )
    return [...scan(ctx, main), ...scan(ctx, triggers)].sort((a, b) => a.line - b.line)
  }
}

function scan(ctx: RuleContext, instructions: Instruction[]): Violation[] {
  const out: Violation[] = []
  const noCache = new Map<string, boolean>()
  let current = ''
  for (const ins of instructions) {
    if (ins.keyword === 'FROM') {
      const stage = ctx.model.stages[ins.stage]
      const image = imageName(stage?.image ?? '')
      current = rawAlias(ins) ?? image
      noCache.set(current, noCache.get(image) ?? false)
    } else if (ins.keyword === 'ENV') {
      if (envPairs(ins).some(([k, v]) => k === 'PIP_NO_CACHE_DIR' && TRUTHY.includes(v)))
        noCache.set(current, true)
    } else if (ins.keyword === 'RUN') {
      if (noCache.get(current) || setInText(ins) || hasCacheOrTmpfsMount(ins, ['.cache/pip'])) continue
      if (hcommandsNamed(ctx.shell(ins), PIP_NAME).some(forgot)) out.push(at(ins))
    }
  }
  return out
}

function forgot(c: HCommand): boolean {
  return isPipInstall(c) && !c.args.includes('--no-cache-dir') && !isWrapper(c)
}

function isWrapper(c: HCommand): boolean {
  return ['pipx', 'pipenv'].some(
    (w) => c.name.includes(w) || (c.name.startsWith('python') && hasSequence(c.args, ['-m', w]))
  )
}

function setInText(ins: Instruction): boolean {
  const at = ins.args.indexOf('PIP_NO_CACHE_DIR=')
  if (at < 0) return false
  const rest = ins.args.slice(at + 'PIP_NO_CACHE_DIR='.length)
  return TRUTHY.some((t) => rest.startsWith(t))
}
