import { argDecls, envPairs } from '../../dockerfile/parse.js'
import { at, effective, type Rule, type Violation } from '../rule.js'

const SECRET_NAME =
  /(?:_|^)(?:apikey|api_key|auth|credential|credentials|key|password|pword|passwd|pass|pwd|secret|token|private_key|access_key|secret_key)(?:_|$)/i
const NOT_SECRET =
  /(?:_|^)(?:public|gpg|pgp|fingerprint|keyring|keyserver|id|url|uri|file|path|dir|name|user|username|length|size|type|version|host|port|header)(?:_|$)/i
const SECRET_VALUE = [
  /AKIA[0-9A-Z]{16}/,
  /gh[pousr]_[A-Za-z0-9]{36,}/,
  /github_pat_[A-Za-z0-9_]{40,}/,
  /xox[abpr]-[A-Za-z0-9-]{10,}/,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
  /glpat-[A-Za-z0-9_-]{20}/,
  /sk_live_[A-Za-z0-9]{20,}/,
  /AIza[0-9A-Za-z_-]{35}/
]

export function looksLikeSecretName(name: string): boolean {
  return SECRET_NAME.test(name) && !NOT_SECRET.test(name)
}

export const SI1002: Rule = {
  id: 'SI1002',
  severity: 'error',
  message:
    'A secret is passed through ENV or ARG, where it stays readable in the image config or build history.',
  help: 'Pass secrets with `RUN --mount=type=secret,id=NAME` (BuildKit) and read them from /run/secrets; never bake them into ENV or ARG.',
  check(ctx) {
    const out: Violation[] = []
    for (const i of effective(ctx.model)) {
      let pairs: [string, string | undefined][]
      if (i.keyword === 'ENV') pairs = envPairs(i)
      else if (i.keyword === 'ARG') pairs = argDecls(i).map((d) => [d.name, d.value])
      else continue
      for (const [name, value] of pairs) {
        const byValue = value !== undefined && SECRET_VALUE.some((re) => re.test(value))
        const byName =
          looksLikeSecretName(name) &&
          (i.keyword === 'ARG' || (value !== undefined && value !== '' && !/^\$/.test(value)))
        if (byValue || byName) {
          out.push(
            at(
              i,
              `\`${name}\` in ${i.keyword} looks like a secret; ${i.keyword} values stay in the image metadata.`
            )
          )
          break
        }
      }
    }
    return out
  }
}
