/**
 * Secrets in the image's files: private keys, cloud credentials, service tokens and `.env` files. A finding
 * names the kind of secret, the path and the layer; never the secret itself. A secret added in one layer and
 * deleted in a later one is still in the image (anyone who pulls it can read the layer) and is reported.
 */
import type { Finding, LayerRef, Location } from '../findings.js'

export interface SecretRule {
  id: string
  /** What the secret is, as shown to users. */
  kind: string
  pattern: RegExp
}

/** Rule ids SI5001–SI5013. Patterns follow the token formats the issuers document. */
export const SECRET_RULES: SecretRule[] = [
  {
    id: 'SI5001',
    kind: 'private key',
    pattern:
      /-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----\s*[A-Za-z0-9+/=:\s-]{20}/
  },
  { id: 'SI5002', kind: 'AWS access key ID', pattern: /\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/ },
  {
    id: 'SI5003',
    kind: 'AWS secret access key',
    pattern: /\baws_?secret_?access_?key\b["']?\s*[:=]\s*["']?[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+])/i
  },
  {
    id: 'SI5004',
    kind: 'GCP service account key',
    pattern: /"type"\s*:\s*"service_account"[\s\S]{0,4000}?"private_key"\s*:\s*"-----BEGIN/
  },
  { id: 'SI5005', kind: 'Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/ },
  {
    id: 'SI5006',
    kind: 'Azure storage account key',
    pattern: /\bAccountKey=[A-Za-z0-9+/]{86}==/
  },
  {
    id: 'SI5007',
    kind: 'Azure client secret',
    pattern: /\bAZURE_CLIENT_SECRET\b["']?\s*[:=]\s*["']?[A-Za-z0-9_~.-]{34,40}(?![A-Za-z0-9_~.-])/
  },
  {
    id: 'SI5008',
    kind: 'GitHub token',
    pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36}(?![A-Za-z0-9])|github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}\b)/
  },
  { id: 'SI5009', kind: 'GitLab token', pattern: /\bglpat-[A-Za-z0-9_-]{20}(?![A-Za-z0-9_-])/ },
  {
    id: 'SI5010',
    kind: 'npm token',
    pattern: /\bnpm_[A-Za-z0-9]{36}(?![A-Za-z0-9])|_authToken\s*=\s*(?!\$\{)[A-Za-z0-9+/=_-]{20,}/
  },
  {
    id: 'SI5011',
    kind: 'Docker Hub token or registry credential',
    pattern:
      /\bdckr_pat_[A-Za-z0-9_-]{27}(?![A-Za-z0-9_-])|"auths"\s*:\s*\{[\s\S]{0,2000}?"auth"\s*:\s*"[A-Za-z0-9+/=]{8,}"/
  },
  {
    id: 'SI5012',
    kind: 'Slack token',
    pattern:
      /\bxox[baprs]-[0-9A-Za-z]{10,48}-[0-9A-Za-z-]{10,}|https:\/\/hooks\.slack\.com\/services\/T[A-Z0-9]{8,}\/B[A-Z0-9]{8,}\/[A-Za-z0-9]{20,}/
  }
]

export const ENV_FILE_RULE = { id: 'SI5013', kind: '.env file with credentials' }

/** A quick test that a text might hold any of the secrets, to skip the rules on most files. */
const PREFILTER =
  /PRIVATE KEY|AKIA|ASIA|ABIA|ACCA|secret|service_account|AIza|AccountKey|gh[pousr]_|github_pat_|glpat-|npm_|_authToken|dckr_pat_|"auths"|xox[baprs]-|hooks\.slack/i

/** Paths whose files are documentation or test fixtures of packages, not credentials of this image. */
const SKIP = [
  /^usr\/share\/(doc|man|info|locale|i18n|zoneinfo)\//,
  /^usr\/include\//,
  /^proc\//,
  /^sys\//,
  // Test and example files shipped inside third-party packages (snake-oil keys, fake tokens).
  /(^|\/)(node_modules|site-packages|dist-packages|vendor|go\/pkg\/mod)\/(.+\/)?(tests?|__tests__|fixtures?|testdata|examples?)\//
]
const BINARY_EXT =
  /\.(so(\.\d+)*|a|o|png|jpe?g|gif|ico|woff2?|ttf|otf|gz|xz|bz2|zst|zip|jar|whl|pyc|mo|db|sqlite|wasm)$/i

/** The largest file scanned for secrets by default. */
export const SECRET_MAX_BYTES = 1024 * 1024

export function isSecretCandidate(path: string, size: number, maxBytes = SECRET_MAX_BYTES): boolean {
  if (size === 0 || size > maxBytes) return false
  if (BINARY_EXT.test(path)) return false
  return !SKIP.some((re) => re.test(path))
}

export interface SecretHit {
  ruleId: string
  kind: string
  path: string
  /** 1-based line of the first match. */
  line: number
}

function lineOf(text: string, index: number): number {
  let n = 1
  for (let i = text.indexOf('\n'); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) n++
  return n
}

const ENV_NAME = /(^|\/)\.env(\.[A-Za-z0-9_-]+)?$/
const ENV_TEMPLATE = /\.(example|sample|template|dist|defaults?)$/i
const ENV_SECRET_KEY =
  /(SECRET|PASSWORD|PASSWD|PWD|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIALS?|AUTH)/i
const PLACEHOLDER =
  /^(|changeme|change_me|xxx+|\*+|<[^>]*>|\$\{[^}]*\}|\$[A-Z_]+|your[_-].*|example|placeholder|null|none|true|false)$/i

/** Counts the variables of a `.env` file whose names say they are credentials and whose values are set. */
export function envFileSecrets(text: string): number {
  let n = 0
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line)
    if (!m || !ENV_SECRET_KEY.test(m[1])) continue
    const v = m[2].trim().replace(/^["']|["']$/g, '')
    if (!PLACEHOLDER.test(v)) n++
  }
  return n
}

/** The secrets in one file's text: one hit per rule (the first match). */
export function findSecrets(path: string, text: string): SecretHit[] {
  const hits: SecretHit[] = []
  if (PREFILTER.test(text)) {
    for (const r of SECRET_RULES) {
      const m = r.pattern.exec(text)
      if (m) hits.push({ ruleId: r.id, kind: r.kind, path, line: lineOf(text, m.index) })
    }
  }
  if (ENV_NAME.test(path) && !ENV_TEMPLATE.test(path) && envFileSecrets(text) > 0) {
    hits.push({ ruleId: ENV_FILE_RULE.id, kind: ENV_FILE_RULE.kind, path, line: 1 })
  }
  return hits
}

/** The finding for one secret found in one layer. */
export function secretFinding(
  hit: SecretHit,
  layer: LayerRef,
  deletedLater: boolean,
  location?: Location
): Finding {
  // The layer's command is not quoted: it may hold the very secret.
  const where = `layer ${layer.digest.slice(0, 19)}`
  const f: Finding = {
    category: 'secret',
    ruleId: hit.ruleId,
    severity: 'critical',
    message: deletedLater
      ? `${hit.kind} in /${hit.path} is still in ${where} though deleted later`
      : `${hit.kind} in /${hit.path} (line ${hit.line}), added in ${where}`,
    help: deletedLater
      ? 'Deleting a file in a later layer does not remove it from the image. Rotate the credential, and never COPY or write it in a layer: use a build secret (RUN --mount=type=secret) or a multi-stage build.'
      : 'Rotate the credential and keep it out of the image: use a build secret (RUN --mount=type=secret), a runtime secret or .dockerignore.',
    imagePath: '/' + hit.path,
    layer
  }
  if (location) f.location = location
  return f
}
