import { at, commands, type Rule, type Violation } from '../rule.js'

const POINTLESS = [
  'ssh',
  'vim',
  'shutdown',
  'service',
  'ps',
  'free',
  'top',
  'kill',
  'mount',
  'ifconfig',
  'nano'
]

export const DL3001: Rule = {
  id: 'DL3001',
  severity: 'info',
  message:
    'For some bash commands it makes no sense running them in a Docker container like ssh, vim, shutdown, service, ps, free, top, kill, mount, ifconfig.',
  help: 'Remove the interactive or system-management command from RUN; it has no useful effect during a build.',
  check(ctx) {
    const out: Violation[] = []
    for (const r of ctx.runs) {
      const found = commands(r.script, POINTLESS)
      if (found.length > 0) out.push(at(r.ins, `Running \`${found[0].name}\` in a build makes no sense.`))
    }
    return out
  }
}
