import { at, commands, type Rule, type Violation } from '../rule.js'

/** True for a chmod mode that lets everyone write (`777`, `666`, `o+w`, `a=rwx`), sticky-bit modes excepted. */
export function worldWritable(mode: string): boolean {
  if (/^[0-7]{3,4}$/.test(mode)) {
    if (mode.length === 4 && (Number(mode[0]) & 1) === 1) return false
    return (Number(mode[mode.length - 1]) & 2) === 2
  }
  return mode.split(',').some((part) => {
    const m = /^([ugoa]*)([+=])([rwxXst]*)$/.exec(part)
    return !!m && (m[1].includes('o') || m[1].includes('a')) && m[3].includes('w') && !m[3].includes('t')
  })
}

export const SI1006: Rule = {
  id: 'SI1006',
  severity: 'warning',
  message: 'A path is made world-writable (`chmod 777` / `o+w`).',
  help: 'Give the path to the user that needs it (`chown app …`, `COPY --chown`) and a mode such as 755 or 750.',
  check(ctx) {
    const out: Violation[] = []
    for (const r of ctx.runs) {
      const hit = commands(r.script, ['chmod']).find((c) =>
        c.args.some((a) => !a.startsWith('-') && worldWritable(a))
      )
      if (hit) out.push(at(r.ins, `\`chmod ${hit.args.join(' ')}\` makes a path world-writable.`))
    }
    for (const i of ctx.model.instructions) {
      const chmod = i.flags.find((f) => f.name === 'chmod')?.value
      if ((i.keyword === 'COPY' || i.keyword === 'ADD') && chmod && worldWritable(chmod)) {
        out.push(at(i, `\`--chmod=${chmod}\` makes the copied files world-writable.`))
      }
    }
    return out
  }
}
