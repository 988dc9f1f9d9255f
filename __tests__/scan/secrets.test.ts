import { describe, expect, it } from '@jest/globals'
import { envFileSecrets, findSecrets, isSecretCandidate, secretFinding } from '../../src/scan/secrets.js'

// Token-shaped values made up for the tests (right format, no real credential).
const samples: [string, string, string][] = [
  [
    'SI5001',
    'key.pem',
    '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\n'
  ],
  ['SI5002', 'creds', 'aws_access_key_id = AKIAZ7QWERTYUIOP1234\n'],
  ['SI5003', 'credentials', '[default]\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKE\n'],
  [
    'SI5004',
    'sa.json',
    '{\n  "type": "service_account",\n  "project_id": "p",\n  "private_key": "-----BEGIN PRIVATE KEY-----\\nMIIE\\n"\n}'
  ],
  ['SI5005', 'config.js', 'const key = "AIzaSyA1bCdEfGhIjKlMnOpQrStUvWxYz012345"\n'],
  [
    'SI5006',
    'app.config',
    `DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=${'A1b2'.repeat(21)}Ab==;EndpointSuffix=core.windows.net\n`
  ],
  ['SI5007', 'env.sh', 'export AZURE_CLIENT_SECRET=Qx8Q~abcdefghijklmnopqrstuvwxyz0123456\n'],
  ['SI5008', 'gh.txt', 'token: ghp_0123456789abcdefghijABCDEFGHIJ012345\n'],
  ['SI5009', 'gl.txt', 'GITLAB=glpat-AbCdEfGhIjKlMnOpQrSt\n'],
  ['SI5010', '.npmrc', '//registry.npmjs.org/:_authToken=npm_0123456789abcdefghijABCDEFGHIJ012345\n'],
  ['SI5011', 'config.json', '{"auths":{"https://index.docker.io/v1/":{"auth":"dXNlcjpwYXNzd29yZA=="}}}'],
  ['SI5012', 'slack.txt', 'SLACK_BOT=xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx\n']
]

describe('secret rules', () => {
  it.each(samples)('%s catches its kind in %s', (id, path, text) => {
    expect(findSecrets(path, text).map((h) => h.ruleId)).toContain(id)
  })

  it('does not catch look-alikes: public keys, placeholders, short strings, env references', () => {
    const clean = [
      '-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu1SU1LfVLPHC\n',
      'aws_access_key_id = AKIAEXAMPLE\n',
      'ghp_short\n',
      '//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n',
      'The secret of a good life is\n',
      '{"auths":{}}',
      'glpat-short'
    ]
    for (const text of clean) expect(findSecrets('x.txt', text)).toEqual([])
  })

  it('reports .env files with credential variables, not templates or empty values', () => {
    expect(findSecrets('app/.env', 'DB_PASSWORD=s3cr3t-value\n').map((h) => h.ruleId)).toEqual(['SI5013'])
    expect(findSecrets('app/.env.production', 'export API_TOKEN="abc123def"\n')).toHaveLength(1)
    expect(findSecrets('app/.env.example', 'DB_PASSWORD=s3cr3t-value\n')).toEqual([])
    expect(findSecrets('app/.env', 'DB_PASSWORD=\nAPI_KEY=changeme\nDEBUG=1\n')).toEqual([])
    expect(findSecrets('app/env.txt', 'DB_PASSWORD=s3cr3t-value\n')).toEqual([])
    expect(envFileSecrets('A_TOKEN=x1\nB_SECRET=${FROM_ENV}\nC_PASSWORD=<your password>\n')).toBe(1)
  })

  it('gives the line of the first match', () => {
    expect(findSecrets('f', 'a\nb\nkey=AKIAZ7QWERTYUIOP1234\n')[0].line).toBe(3)
  })

  it('skips package documentation, binary file types, empty and large files', () => {
    expect(isSecretCandidate('usr/share/doc/openssl/test.pem', 100)).toBe(false)
    expect(isSecretCandidate('usr/lib/x86_64-linux-gnu/libssl.so.3', 100)).toBe(false)
    expect(isSecretCandidate('root/.ssh/id_rsa', 0)).toBe(false)
    expect(isSecretCandidate('root/.ssh/id_rsa', 2 * 1024 * 1024)).toBe(false)
    expect(isSecretCandidate('root/.ssh/id_rsa', 1700)).toBe(true)
    expect(isSecretCandidate('app/node_modules/agent/test/fixtures/snakeoil.key', 1700)).toBe(false)
    expect(isSecretCandidate('usr/lib/python3/dist-packages/requests/tests/key.pem', 1700)).toBe(false)
    expect(isSecretCandidate('app/node_modules/agent/dist/index.js', 1700)).toBe(true)
    expect(isSecretCandidate('app/test/key.pem', 1700)).toBe(true)
  })

  it('builds a critical finding that names the kind, path and layer, never the value', () => {
    const text = 'token: ghp_0123456789abcdefghijABCDEFGHIJ012345\n'
    const [hit] = findSecrets('srv/app/token.txt', text)
    const digest = 'sha256:' + 'ab'.repeat(32)
    const f = secretFinding(
      hit,
      { digest, createdBy: 'RUN echo ghp_0123456789abcdefghijABCDEFGHIJ012345 > x' },
      true,
      {
        path: 'Dockerfile',
        startLine: 4
      }
    )
    expect(f).toMatchObject({
      category: 'secret',
      ruleId: 'SI5008',
      severity: 'critical',
      imagePath: '/srv/app/token.txt'
    })
    expect(f.message).toBe(
      'GitHub token in /srv/app/token.txt is still in layer sha256:abababababab though deleted later'
    )
    expect(f.message + f.help).not.toContain('ghp_0123')
    expect(f.location).toEqual({ path: 'Dockerfile', startLine: 4 })
    expect(secretFinding(hit, { digest }, false).message).toBe(
      'GitHub token in /srv/app/token.txt (line 1), added in layer sha256:abababababab'
    )
  })
})
