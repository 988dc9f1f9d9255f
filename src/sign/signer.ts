/**
 * Who signs: an ECDSA P-256 key given as PEM (held in memory only; no Fulcio, no Rekor), or keyless Sigstore
 * (an OIDC token → a Fulcio certificate → a Rekor entry and/or an RFC 3161 timestamp). Both produce DSSE
 * bundles through @sigstore/sign's DSSEBundleBuilder, so the bundle format is the library's.
 */
import { createPrivateKey, createPublicKey, sign, type KeyObject } from 'node:crypto'
import {
  DSSEBundleBuilder,
  FulcioSigner,
  RekorWitness,
  TSAWitness,
  DEFAULT_FULCIO_URL,
  DEFAULT_REKOR_URL,
  type BundleBuilder,
  type IdentityProvider,
  type Signer,
  type Witness
} from '@sigstore/sign'
import { keyHint } from './trust.js'

/** Parses an ECDSA P-256 private key (PEM, PKCS#8 or SEC1). The error never quotes the key. */
export function parseSigningKey(pem: string): KeyObject {
  let key: KeyObject
  try {
    key = createPrivateKey({ key: pem.trim(), format: 'pem' })
  } catch (e) {
    const encrypted = /ENCRYPTED/.test(pem) || /passphrase/i.test((e as Error).message)
    const why = encrypted
      ? 'it is encrypted; give the key unencrypted (as a secret)'
      : 'it is not a PEM private key'
    throw new Error(`input "signing-key" cannot be used: ${why}`, { cause: e })
  }
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    const kind =
      key.asymmetricKeyType === 'ec' ? `EC ${key.asymmetricKeyDetails?.namedCurve}` : key.asymmetricKeyType
    throw new Error(`input "signing-key" must be an ECDSA P-256 private key (got a ${kind} key)`)
  }
  return key
}

/** A @sigstore/sign Signer over an in-memory private key. */
export class KeySigner implements Signer {
  readonly publicKey: KeyObject
  readonly hint: string
  constructor(private readonly key: KeyObject) {
    this.publicKey = createPublicKey(key)
    this.hint = keyHint(this.publicKey)
  }
  sign(
    data: Buffer
  ): Promise<{ signature: Buffer; key: { $case: 'publicKey'; publicKey: string; hint: string } }> {
    const signature = sign('sha256', data, this.key)
    const publicKey = this.publicKey.export({ type: 'spki', format: 'pem' }).toString()
    return Promise.resolve({ signature, key: { $case: 'publicKey', publicKey, hint: this.hint } })
  }
}

export function keyBundleBuilder(pem: string): { builder: BundleBuilder; hint: string } {
  const signer = new KeySigner(parseSigningKey(pem))
  return { builder: new DSSEBundleBuilder({ signer, witnesses: [] }), hint: signer.hint }
}

export interface KeylessOptions {
  identityProvider: IdentityProvider
  fulcioURL?: string
  /** Empty string: no Rekor entry (then a TSA is required). */
  rekorURL?: string
  tsaURL?: string
}

/** The Sigstore endpoints, overridable through the environment (private Sigstore instances, tests). */
export function keylessEndpoints(
  env: NodeJS.ProcessEnv = process.env
): Omit<KeylessOptions, 'identityProvider'> {
  const out: Omit<KeylessOptions, 'identityProvider'> = {
    fulcioURL: env.SECURE_IMAGE_FULCIO_URL || DEFAULT_FULCIO_URL,
    rekorURL: env.SECURE_IMAGE_REKOR_URL ?? DEFAULT_REKOR_URL
  }
  if (env.SECURE_IMAGE_TSA_URL) out.tsaURL = env.SECURE_IMAGE_TSA_URL
  return out
}

export function keylessBundleBuilder(opts: KeylessOptions): BundleBuilder {
  const signer = new FulcioSigner({
    identityProvider: opts.identityProvider,
    fulcioBaseURL: opts.fulcioURL ?? DEFAULT_FULCIO_URL
  })
  const witnesses: Witness[] = []
  if (opts.rekorURL !== '') {
    witnesses.push(
      new RekorWitness({ rekorBaseURL: opts.rekorURL ?? DEFAULT_REKOR_URL, entryType: 'intoto' })
    )
  }
  if (opts.tsaURL) witnesses.push(new TSAWitness({ tsaBaseURL: opts.tsaURL }))
  if (witnesses.length === 0) throw new Error('keyless signing needs a Rekor log or a timestamp authority')
  return new DSSEBundleBuilder({ signer, witnesses })
}
