import { describe, expect, it } from '@jest/globals'
import { checkConfig, secretReason } from '../../src/scan/config-checks.js'
import { parseDockerfile } from '../../src/dockerfile/parse.js'
import type { ImageLayer } from '../../src/scan/types.js'

const base: ImageLayer = { digest: 'sha256:' + '1'.repeat(64), index: 0, inherited: true }
const ours: ImageLayer = {
  digest: 'sha256:' + '2'.repeat(64),
  index: 1,
  inherited: false,
  location: { path: 'Dockerfile', startLine: 3, endLine: 3 }
}

const ids = (fs: { ruleId: string }[]): string[] => fs.map((f) => f.ruleId)

describe('image config checks', () => {
  it('flags running as root: no User, "0", "root", "root:root"; not a named or numeric non-root user', () => {
    for (const User of [undefined, '', '0', 'root', 'root:root', '0:0']) {
      expect(ids(checkConfig({ config: { User }, setuid: [], worldWritable: [] }))).toEqual(['SI3001'])
    }
    for (const User of ['app', '10001', '10001:10001', 'nobody']) {
      expect(checkConfig({ config: { User }, setuid: [], worldWritable: [] })).toEqual([])
    }
  })

  it('locates findings at the Dockerfile line that set them, or the FROM line', () => {
    const model = parseDockerfile(
      'FROM debian:12\nENV DB_PASSWORD=hunter2-but-longer\nLABEL deploy.token=ghp_0123456789abcdefghijABCDEFGHIJ012345\nEXPOSE 8080 22/tcp\n'
    )
    const fs = checkConfig({
      config: {
        Env: ['PATH=/bin', 'DB_PASSWORD=hunter2-but-longer', 'PASSWORD_FILE=/run/secrets/db'],
        Labels: { 'deploy.token': 'ghp_0123456789abcdefghijABCDEFGHIJ012345', maintainer: 'me' },
        ExposedPorts: { '8080/tcp': {}, '22/tcp': {} }
      },
      setuid: [],
      worldWritable: [],
      model
    })
    expect(fs.map((f) => `${f.ruleId}@${f.location?.startLine}`)).toEqual([
      'SI3001@1',
      'SI3002@2',
      'SI3003@3',
      'SI3004@4'
    ])
    expect(fs[1].message).toBe(
      'the environment variable DB_PASSWORD is baked into the image config and its name says it holds a credential and it has a value'
    )
    expect(fs[2].message).toBe('the label deploy.token its value looks like a GitHub token')
    expect(JSON.stringify(fs)).not.toContain('hunter2')
    expect(JSON.stringify(fs)).not.toContain('ghp_0123')
  })

  it('does not flag 22/udp, settings named like secrets, or placeholder values', () => {
    expect(secretReason('PASSWORD_FILE', '/run/secrets/x')).toBeUndefined()
    expect(secretReason('API_KEY', '')).toBeUndefined()
    expect(secretReason('TOKEN_URL', 'https://auth/token')).toBeUndefined()
    expect(secretReason('GREETING', 'hello')).toBeUndefined()
    expect(secretReason('NOTE', 'AKIAZ7QWERTYUIOP1234')).toMatch(/AWS access key ID/)
    const fs = checkConfig({
      config: { User: 'app', ExposedPorts: { '22/udp': {} } },
      setuid: [],
      worldWritable: []
    })
    expect(fs).toEqual([])
  })

  it('flags setuid/setgid files of our own layers only, and world-writable directories without sticky bit', () => {
    const fs = checkConfig({
      config: { User: 'app' },
      setuid: [
        { path: 'usr/bin/passwd', mode: 0o4755, layer: base },
        { path: 'usr/local/bin/tool', mode: 0o6755, layer: ours }
      ],
      worldWritable: [{ path: 'data', mode: 0o777, layer: ours }]
    })
    expect(fs.map((f) => `${f.ruleId} ${f.imagePath} ${f.location?.startLine}`)).toEqual([
      'SI3005 /usr/local/bin/tool 3',
      'SI3006 /data 3'
    ])
    expect(fs[0].message).toBe(
      "/usr/local/bin/tool is setuid+setgid (mode 6755), added by this image's own layer"
    )
    expect(fs[0].layer).toEqual({ digest: ours.digest, inherited: false })
  })
})
