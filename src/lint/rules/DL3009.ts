import type { DockerfileModel, Stage } from '../../dockerfile/parse.js'
import { cmdHasArgs, firstIndex, hasCacheOrTmpfsMount, hcommands } from '../hshell.js'
import { at, type Rule, type Violation } from '../rule.js'
import { imageName, rawAlias } from '../stages.js'

/**
 * As hadolint: a RUN that updates the apt lists (`apt-get update`, `apt update`, `aptitude update`) must
 * remove them afterwards (`rm -rf /var/lib/apt/lists/*`; hadolint takes any `rm -rf` as that), or keep them in
 * a cache or tmpfs mount (the lists dir, or both `/var/lib/apt` and `/var/cache/apt`). As in hadolint, where the
 * removal stands in the RUN does not matter. Only RUNs of a stage that ends up in an image are reported: the last stage, a stage
 * with the same FROM as the last one, and a stage another FROM names as its image. A stage that is only copied
 * from is not. An ONBUILD trigger is reported in any stage.
 */
export const DL3009: Rule = {
  id: 'DL3009',
  severity: 'info',
  message: 'Delete the apt-get lists after installing something.',
  help: 'End the RUN with `&& rm -rf /var/lib/apt/lists/*`, or use a cache mount for /var/lib/apt/lists.',
  check(ctx) {
    const used = usedStages(ctx.model)
    const out: Violation[] = []
    for (const r of ctx.runs) {
      // An ONBUILD trigger runs in a child image: hadolint reports it whatever the stage.
      const trigger = /^\s*ONBUILD\b/i.test(r.ins.raw)
      if (!trigger && r.stage && !used.has(r.stage)) continue
      const cmds = hcommands(r.script, ['apt-get', 'apt', 'aptitude', 'rm'])
      const update = firstIndex(cmds, (c) => cmdHasArgs(c, ['apt-get', 'apt', 'aptitude'], ['update']))
      if (update < 0) continue
      const clean = firstIndex(cmds, (c) => cmdHasArgs(c, 'rm', ['-rf', '/var/lib/apt/lists/*']))
      if (clean >= 0) continue
      if (hasCacheOrTmpfsMount(r.ins, ['/var/lib/apt/lists'], true)) continue
      if (
        hasCacheOrTmpfsMount(r.ins, ['/var/lib/apt'], true) &&
        hasCacheOrTmpfsMount(r.ins, ['/var/cache/apt'], true)
      )
        continue
      out.push(at(r.ins))
    }
    return out
  }
}

/** The stages whose RUNs hadolint reports for DL3009. */
function usedStages(model: DockerfileModel): Set<Stage> {
  const out = new Set<Stage>()
  const last = model.stages[model.stages.length - 1]
  if (!last) return out
  const fromKey = (s: Stage): string =>
    [...s.from.flags.map((f) => `--${f.name}=${f.value ?? ''}`), ...s.from.argv].join(' ')
  const names = new Set(model.stages.map((s) => imageName(s.image)))
  for (const s of model.stages) {
    const alias = rawAlias(s.from)
    if (fromKey(s) === fromKey(last) || (alias !== undefined && names.has(alias))) out.add(s)
  }
  return out
}
