import { unquote } from '../../dockerfile/parse.js'
import { at, type Rule, type Violation } from '../rule.js'

const SENSITIVE: [RegExp, string][] = [
  [/(^|\/)\.env(\.[^/]*)?$/, 'an environment file'],
  [/(^|\/)\.git\//, 'the git repository'],
  [/(^|\/)id_(rsa|dsa|ecdsa|ed25519)$/, 'an SSH private key'],
  [/\.(pem|key|p12|pfx|jks|keystore)$/i, 'a private key or certificate store'],
  [/(^|\/)\.aws\/(credentials|config)$/, 'AWS credentials'],
  [/(^|\/)\.docker\/config\.json$/, 'Docker registry credentials'],
  [/(^|\/)(\.npmrc|\.pypirc|\.netrc|\.git-credentials|\.pgpass)$/, 'a credentials file'],
  [
    /(^|\/)(application_default_credentials|credentials|service[-_]account[^/]*|gcp[-_]key[^/]*)\.json$/,
    'cloud credentials'
  ],
  [/(^|\/)\.kube\/config$/, 'a Kubernetes config'],
  [/\.tfstate(\.backup)?$/, 'Terraform state']
]
const HARMLESS = /\.(example|sample|template|dist|tmpl)$/i

/** Why a context path looks sensitive, or undefined. */
export function sensitiveReason(path: string): string | undefined {
  if (HARMLESS.test(path)) return undefined
  return SENSITIVE.find(([re]) => re.test(path))?.[1]
}

function globToRegExp(glob: string): RegExp {
  let re = ''
  for (const c of glob) {
    if (c === '*') re += '[^/]*'
    else if (c === '?') re += '[^/]'
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&')
  }
  return new RegExp(`^${re}(/.*)?$`)
}

/** True when COPY/ADD source `src` sends context path `file`. */
export function sourceCovers(src: string, file: string): boolean {
  const s = src
    .replace(/^\.\/+/, '')
    .replace(/^\/+/, '')
    .replace(/\/+$/, '')
  if (s === '' || s === '.') return true
  if (/[*?[]/.test(s)) return globToRegExp(s).test(file)
  return file === s || file.startsWith(s + '/')
}

export const SI1010: Rule = {
  id: 'SI1010',
  severity: 'error',
  message: 'A sensitive file in the build context is copied into the image.',
  help: 'Add the file to `.dockerignore` (e.g. `.env`, `.git`, `*.pem`), or copy only the paths the image needs.',
  check(ctx) {
    const files = ctx.contextFiles
    if (!files || files.length === 0) return []
    const out: Violation[] = []
    for (const i of ctx.model.instructions) {
      if (
        (i.keyword !== 'COPY' && i.keyword !== 'ADD') ||
        i.flags.some((f) => f.name === 'from') ||
        i.heredocs.length > 0
      )
        continue
      const srcs = (i.json ?? i.argv.map(unquote)).slice(0, -1).filter((s) => !/^[a-z]+:\/\//i.test(s))
      let gitReported = false
      for (const f of files) {
        const why = sensitiveReason(f)
        if (!why || !srcs.some((s) => sourceCovers(s, f))) continue
        if (why === 'the git repository') {
          if (gitReported) continue
          gitReported = true
          const root = f.slice(0, f.indexOf('.git/') + 4)
          out.push(
            at(
              i,
              `\`${root}/\` (${why}) is in the build context and this ${i.keyword} copies it into the image.`
            )
          )
          continue
        }
        out.push(
          at(i, `\`${f}\` (${why}) is in the build context and this ${i.keyword} copies it into the image.`)
        )
      }
    }
    return out
  }
}
