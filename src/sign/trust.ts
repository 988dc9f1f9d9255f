/**
 * What a verifier trusts: PEM public keys (file paths or the PEM text itself), certificate identities (an
 * OIDC issuer plus a regular expression over the certificate's identity, as cosign's
 * `--certificate-oidc-issuer` / `--certificate-identity-regexp`), and the Sigstore trusted root that anchors
 * keyless certificates (a `trusted_root.json` file, or the public-good root fetched through TUF).
 */
import { createHash, createPublicKey, type KeyObject } from 'node:crypto'
import { readFileSync } from 'node:fs'
import * as path from 'node:path'
import { TrustedRoot } from '@sigstore/protobuf-specs'

/** The key id written as the bundle's public-key hint: the hex SHA-256 of the DER SubjectPublicKeyInfo. */
export function keyHint(key: KeyObject): string {
  const der = key.export({ type: 'spki', format: 'der' })
  return createHash('sha256').update(der).digest('hex')
}

export interface TrustedKey {
  key: KeyObject
  /** The key id (hex SHA-256 of the DER public key), as the signer writes it in the bundle's hint. */
  hint: string
  /** Where the key came from, for messages. */
  source: string
}

export interface TrustedIdentity {
  issuer: string
  /** A regular expression the certificate identity (its SAN: a workflow URI, an e-mail) must match. */
  identity: string
}

const PEM_BLOCK = /-----BEGIN [A-Z ]*PUBLIC KEY-----[\s\S]*?-----END [A-Z ]*PUBLIC KEY-----/g

/** Public keys from entries that are PEM text (one or more keys) or paths of PEM files. */
export function loadPublicKeys(entries: string[], cwd = process.cwd(), what = 'trusted-keys'): TrustedKey[] {
  const out: TrustedKey[] = []
  for (const entry of entries) {
    const e = entry.trim()
    if (!e) continue
    let text = e
    let source = 'PEM text'
    if (!e.includes('-----BEGIN')) {
      source = e
      try {
        text = readFileSync(path.resolve(cwd, e), 'utf8')
      } catch (err) {
        throw new Error(
          `${what}: cannot read the key file ${e}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
          { cause: err }
        )
      }
    }
    const blocks = text.match(PEM_BLOCK) ?? []
    if (blocks.length === 0)
      throw new Error(`${what}: ${source} holds no PEM public key (-----BEGIN PUBLIC KEY-----)`)
    for (const b of blocks) {
      let key: KeyObject
      try {
        key = createPublicKey(b)
      } catch (err) {
        throw new Error(`${what}: ${source} is not a valid public key: ${(err as Error).message}`, {
          cause: err
        })
      }
      out.push({ key, hint: keyHint(key), source })
    }
  }
  return out
}

/** PEM text given inline may hold several keys; a list input is split on lines only outside PEM blocks. */
export function splitKeyEntries(value: string): string[] {
  const entries: string[] = []
  const pem = value.match(/-----BEGIN [A-Z ]*PUBLIC KEY-----[\s\S]*?-----END [A-Z ]*PUBLIC KEY-----/g) ?? []
  entries.push(...pem)
  const rest = value.replace(
    /-----BEGIN [A-Z ]*PUBLIC KEY-----[\s\S]*?-----END [A-Z ]*PUBLIC KEY-----/g,
    '\n'
  )
  for (const line of rest.split(/[\n,]/)) if (line.trim()) entries.push(line.trim())
  return entries
}

/** `ISSUER IDENTITY-REGEXP` per line (whitespace between them); blank lines and `#` comments are skipped. */
export function parseIdentities(value: string, what = 'trusted-identities'): TrustedIdentity[] {
  const out: TrustedIdentity[] = []
  value.split(/\r?\n/).forEach((line, i) => {
    const t = line.trim()
    if (!t || t.startsWith('#')) return
    const m = /^(\S+)\s+(\S.*)$/.exec(t)
    if (!m) throw new Error(`${what} line ${i + 1} must be "ISSUER IDENTITY-REGEXP" (got "${t}")`)
    out.push(checkIdentity({ issuer: m[1], identity: m[2].trim() }, `${what} line ${i + 1}`))
  })
  return out
}

export function checkIdentity(id: TrustedIdentity, where: string): TrustedIdentity {
  try {
    const u = new URL(id.issuer)
    if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error('not http(s)')
  } catch {
    throw new Error(
      `${where}: the issuer must be a URL such as https://token.actions.githubusercontent.com (got "${id.issuer}")`
    )
  }
  try {
    new RegExp(id.identity)
  } catch (e) {
    throw new Error(`${where}: the identity is not a valid regular expression: ${(e as Error).message}`, {
      cause: e
    })
  }
  return id
}

/**
 * The trusted root for keyless verification: a `trusted_root.json` file when given (or named by
 * SECURE_IMAGE_TRUSTED_ROOT), else Sigstore's public-good root through TUF (needs the network).
 */
export async function loadTrustedRoot(
  file?: string,
  env: NodeJS.ProcessEnv = process.env
): Promise<TrustedRoot> {
  const f = file || env.SECURE_IMAGE_TRUSTED_ROOT
  if (f) {
    try {
      return TrustedRoot.fromJSON(JSON.parse(readFileSync(f, 'utf8')))
    } catch (e) {
      throw new Error(`cannot read the trusted root ${f}: ${(e as Error).message}`, { cause: e })
    }
  }
  const { getTrustedRoot } = await import('@sigstore/tuf')
  try {
    return await getTrustedRoot()
  } catch (e) {
    throw new Error(`cannot fetch Sigstore's trusted root through TUF: ${(e as Error).message}`, { cause: e })
  }
}
