/**
 * Sigstore on loopback: @sigstore/mock's Fulcio, Rekor and TSA handlers behind one real HTTP server, plus an
 * OIDC token endpoint that answers like the Actions runtime's (ACTIONS_ID_TOKEN_REQUEST_URL/_TOKEN), and the
 * trusted_root.json that anchors them all.
 */
import { createServer, type Server } from 'node:http'
import { createHash, generateKeyPairSync } from 'node:crypto'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  fulcioHandler,
  initializeCA,
  initializeCTLog,
  initializeTLog,
  initializeTSA,
  rekorHandler,
  tsaHandler,
  type HandlerFn
} from '@sigstore/mock'

export const ISSUER = 'https://token.actions.githubusercontent.com'
export const IDENTITY = 'https://github.com/acme/app/.github/workflows/ci.yml@refs/heads/main'

export interface SigstoreServer {
  url: string
  /** Environment for the product: the endpoints, the trusted root, and the runner's OIDC variables. */
  env: Record<string, string>
  trustedRootFile: string
  requestToken: string
  /** Paths requested, in order (the OIDC requests with their audience). */
  requests: string[]
  close(): Promise<void>
}

function keyPair() {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' })
}

function b64url(o: unknown): string {
  return Buffer.from(JSON.stringify(o)).toString('base64url')
}

/** Starts the services. `caClock` backdates the certificates Fulcio issues (they live 10 minutes). */
export async function startSigstore(
  opts: { caClock?: Date; claims?: Record<string, string> } = {}
): Promise<SigstoreServer> {
  const requests: string[] = []
  const requestToken = 'oidc-request-token-0123456789'
  const server: Server = createServer()
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  const port = (server.address() as { port: number }).port
  const url = `http://127.0.0.1:${port}`

  const caKeys = keyPair()
  const ctKeys = keyPair()
  const tlogKeys = keyPair()
  const tsaKeys = keyPair()
  const ctlog = await initializeCTLog(ctKeys, opts.caClock)
  const ca = await initializeCA(caKeys, ctlog, opts.caClock)
  const tlog = await initializeTLog(url, tlogKeys)
  const tsa = await initializeTSA(tsaKeys)
  // The mock TSA stamps milliseconds, and its DER encoder drops trailing zeros (\`.12Z\`), which
  // @sigstore/core's GeneralizedTime parser rejects ("invalid time") one time in ten. Sigstore's own TSA stamps
  // whole seconds: so does this one.
  ;(tsa as unknown as { getCurrentTime: () => Date }).getCurrentTime = () =>
    new Date(Math.floor(Date.now() / 1000) * 1000)
  const routes: Record<string, HandlerFn> = {}
  for (const h of [fulcioHandler(ca), rekorHandler(tlog), tsaHandler(tsa)]) routes[h.path] = h.fn

  const claims = {
    iss: ISSUER,
    sub: IDENTITY,
    aud: 'sigstore',
    repository: 'acme/app',
    ref: 'refs/heads/main',
    sha: 'f00dfacecafebeef0123456789abcdef01234567',
    event_name: 'push',
    workflow: 'ci',
    ...opts.claims
  }
  const token = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({ ...claims, iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 600 })}.`

  server.on('request', (req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const path = (req.url ?? '').split('?')[0]
      requests.push(req.url ?? '')
      if (req.method === 'GET' && path === '/oidc/token') {
        if (req.headers.authorization !== `Bearer ${requestToken}`) {
          res.writeHead(401).end('bad request token')
          return
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ value: token }))
        return
      }
      const fn = req.method === 'POST' ? routes[path] : undefined
      if (!fn) {
        res.writeHead(404).end('not found')
        return
      }
      fn(Buffer.concat(chunks).toString('utf8')).then(
        (r) => {
          res.writeHead(r.statusCode, { 'content-type': r.contentType ?? 'text/plain' })
          res.end(
            typeof r.response === 'string'
              ? r.response
              : Buffer.from(r.response.buffer, r.response.byteOffset, r.response.byteLength)
          )
        },
        (e: Error) => res.writeHead(500).end(e.message)
      )
    })
  })

  const der = (k: ReturnType<typeof keyPair>['publicKey']) => k.export({ type: 'spki', format: 'der' })
  const start = '2000-01-01T00:00:00Z'
  const root = {
    mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    tlogs: [
      {
        baseUrl: url,
        hashAlgorithm: 'SHA2_256',
        publicKey: {
          rawBytes: der(tlogKeys.publicKey).toString('base64'),
          keyDetails: 'PKIX_ECDSA_P256_SHA_256',
          validFor: { start }
        },
        logId: { keyId: createHash('sha256').update(der(tlogKeys.publicKey)).digest('base64') }
      }
    ],
    certificateAuthorities: [
      {
        subject: { organization: 'sigstore.mock', commonName: 'sigstore' },
        uri: url,
        certChain: {
          certificates: [
            { rawBytes: Buffer.from(ca.rootCertificate as unknown as Buffer).toString('base64') }
          ]
        },
        validFor: { start }
      }
    ],
    ctlogs: [
      {
        baseUrl: url,
        hashAlgorithm: 'SHA2_256',
        publicKey: {
          rawBytes: Buffer.from(ctlog.publicKey).toString('base64'),
          keyDetails: 'PKIX_ECDSA_P256_SHA_256',
          validFor: { start }
        },
        logId: {
          keyId: Buffer.from(
            ctlog.logID.buffer as ArrayBuffer,
            ctlog.logID.byteOffset,
            ctlog.logID.byteLength
          ).toString('base64')
        }
      }
    ],
    timestampAuthorities: [
      {
        subject: { organization: 'sigstore.mock', commonName: 'tsa' },
        certChain: {
          certificates: [
            { rawBytes: Buffer.from(tsa.intCertificate as unknown as Buffer).toString('base64') },
            { rawBytes: Buffer.from(tsa.rootCertificate as unknown as Buffer).toString('base64') }
          ]
        },
        validFor: { start }
      }
    ]
  }
  const dir = mkdtempSync(join(tmpdir(), 'si-sigstore-'))
  const trustedRootFile = join(dir, 'trusted_root.json')
  writeFileSync(trustedRootFile, JSON.stringify(root, null, 2))
  return {
    url,
    trustedRootFile,
    requestToken,
    requests,
    env: {
      SECURE_IMAGE_FULCIO_URL: url,
      SECURE_IMAGE_REKOR_URL: url,
      SECURE_IMAGE_TSA_URL: `${url}/api/v1/timestamp`,
      SECURE_IMAGE_TRUSTED_ROOT: trustedRootFile,
      ACTIONS_ID_TOKEN_REQUEST_URL: `${url}/oidc/token?api-version=2.0`,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: requestToken
    },
    close: () => new Promise<void>((r) => server.close(() => r()))
  }
}
