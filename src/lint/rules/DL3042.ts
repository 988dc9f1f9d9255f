import { envPairs, type Stage } from '../../dockerfile/parse.js'
import { at, hasCacheMount, pipInstall, type Rule, type Violation } from '../rule.js'

const TRUTHY = new Set(['1', 'true', 'True', 'TRUE', 'on', 'On', 'ON', 'yes', 'Yes', 'YES'])

export const DL3042: Rule = {
  id: 'DL3042',
  severity: 'warning',
  message: 'Avoid cache directory with `pip install --no-cache-dir <package>`.',
  help: 'Write `pip install --no-cache-dir …`, set `ENV PIP_NO_CACHE_DIR=1`, or use a cache mount for /root/.cache/pip.',
  check(ctx) {
    const { stages } = ctx.model
    // As hadolint: a truthy `ENV PIP_NO_CACHE_DIR` earlier in the stage, or in the stage it is built FROM.
    const envOff = (st: Stage | undefined, beforeLine: number, depth = 0): boolean => {
      if (!st || depth > stages.length) return false
      const set = st.instructions.some(
        (i) =>
          i.keyword === 'ENV' &&
          i.startLine < beforeLine &&
          envPairs(i).some(([k, v]) => k === 'PIP_NO_CACHE_DIR' && TRUTHY.has(v))
      )
      if (set) return true
      const parent = stages.find((s) => s.index < st.index && s.name === st.image.toLowerCase())
      return envOff(parent, Infinity, depth + 1)
    }
    const out: Violation[] = []
    for (const r of ctx.runs) {
      if (envOff(r.stage, r.ins.startLine) || hasCacheMount(r.ins, ['/root/.cache/pip', '/root/.cache']))
        continue
      const bad = r.script.commands.some((c) => {
        const args = pipInstall(c)
        return (
          args !== null &&
          !args.includes('--no-cache-dir') &&
          !c.assignments.some((a) => /^PIP_NO_CACHE_DIR=/.test(a) && TRUTHY.has(a.slice(a.indexOf('=') + 1)))
        )
      })
      if (bad) out.push(at(r.ins))
    }
    return out
  }
}
