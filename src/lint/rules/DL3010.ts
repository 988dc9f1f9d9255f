import { at, commands, type Rule, type Violation } from '../rule.js'

const ARCHIVE = /\.(tar|tar\.gz|tgz|tar\.bz2|tbz2?|tar\.xz|txz|tar\.zst|tar\.lz|tar\.lzma|tlz)$/i

export const DL3010: Rule = {
  id: 'DL3010',
  severity: 'info',
  message: 'Use ADD for extracting archives into an image.',
  help: 'ADD extracts a local tar archive in one step; `ADD app.tar.gz /app/` replaces COPY + `tar -x` + rm.',
  check(ctx) {
    const out: Violation[] = []
    for (const st of ctx.model.stages) {
      for (const copy of st.instructions.filter(
        (i) => i.keyword === 'COPY' && !i.flags.some((f) => f.name === 'from')
      )) {
        const srcs = (copy.json ?? copy.argv).slice(0, -1).filter((s) => ARCHIVE.test(s))
        if (srcs.length === 0) continue
        const names = srcs.map((s) => s.slice(s.lastIndexOf('/') + 1))
        const extracted = ctx.runs.some(
          (r) =>
            r.stage === st &&
            r.ins.startLine > copy.startLine &&
            commands(r.script, ['tar']).some(
              (c) =>
                c.args.some((a) => a === '--extract' || a === '-x' || /^-?[a-wyzA-Z]*x[a-zA-Z]*$/.test(a)) &&
                c.args.some((a) => names.some((n) => a.endsWith(n)))
            )
        )
        if (extracted) out.push(at(copy))
      }
    }
    return out
  }
}
