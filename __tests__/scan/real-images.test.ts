/**
 * The scan over images built in the real engine: every test streams `GET /images/{name}/get` into
 * scanImageStream, as the pipeline does.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { randomBytes } from 'node:crypto'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import { docker } from '../helpers/testenv.js'
import { parseDockerfile } from '../../src/dockerfile/parse.js'
import type { ScanResult } from '../../src/scan/types.js'
import { buildImage, makeGoElf, makeZip, removeImages, scanImage } from './helpers.js'

const made: string[] = []
afterAll(() => removeImages(...made))

function dpkgQuery(image: string): string[] {
  return docker(['run', '--rm', image, 'dpkg-query', '-W', '-f', '${Package} ${Version}\n'])
    .trim()
    .split('\n')
    .sort()
}

describe('busybox', () => {
  it('has no OS packages and no distribution, and runs as root', async () => {
    const r = await scanImage('busybox:stable')
    expect(r.inventory.os).toBeUndefined()
    expect(r.inventory.packages).toEqual([])
    expect(r.inventory.layers).toHaveLength(1)
    expect(r.inventory.layers[0].digest).toMatch(/^sha256:[a-f0-9]{64}$/)
    expect(r.findings.map((f) => f.ruleId)).toEqual(['SI3001'])
    // /tmp is 1777: world-writable with the sticky bit is fine.
    expect(r.findings.some((f) => f.imagePath === '/tmp')).toBe(false)
  })
})

describe('an image with two identical layers', () => {
  it('reads the second copy of a layer, however docker save wrote it', async () => {
    // The same file with the same header, copied, removed and copied again: layers 1 and 3 are identical on
    // either image store (a copy over an equal file would make no layer at all on the containerd store).
    const image = await buildImage('FROM busybox:stable\nCOPY same /same\nRUN rm /same\nCOPY same /same\n', [
      { name: 'same', data: 'the same bytes\n' }
    ])
    made.push(image)
    const listing = execFileSync('sh', ['-c', `docker save ${image} | tar -tv`], { encoding: 'utf8' })
    if (listing.includes('oci-layout')) {
      // The containerd store's OCI layout keeps the blob once, and manifest.json names it twice.
      const manifest = JSON.parse(
        execFileSync('sh', ['-c', `docker save ${image} | tar -xO manifest.json`], { encoding: 'utf8' })
      ) as { Layers: string[] }[]
      expect(manifest[0].Layers[1]).toBe(manifest[0].Layers[3])
    } else {
      // The legacy layout writes the second copy as a symlink to the first.
      expect(listing).toMatch(/layer\.tar -> \.\.\/[a-f0-9]{64}\/layer\.tar/)
    }
    const r = await scanImage(image)
    expect(r.inventory.layers).toHaveLength(4)
    expect(r.inventory.layers[1].digest).toBe(r.inventory.layers[3].digest)
  })
})

describe('debian:bookworm (debootstrap minbase)', () => {
  it('detects Debian 12 and its inventory equals dpkg-query -W inside the container', async () => {
    const r = await scanImage('debian:bookworm')
    expect(r.inventory.os).toMatchObject({ id: 'debian', versionId: '12', ecosystem: 'Debian:12' })
    const ours = r.inventory.packages.map((p) => `${p.name} ${p.version}`).sort()
    const theirs = dpkgQuery('debian:bookworm')
    expect(theirs.length).toBeGreaterThan(80)
    expect(ours).toEqual(theirs)
    const libc = r.inventory.packages.find((p) => p.name === 'libc6')!
    expect(libc).toMatchObject({
      type: 'deb',
      ecosystem: 'Debian:12',
      source: 'glibc',
      path: '/var/lib/dpkg/status'
    })
    expect(libc.purl).toMatch(/^pkg:deb\/debian\/libc6@[^?]+\?arch=amd64&distro=debian-12&upstream=glibc$/)
    // Binary packages built from a versioned source keep the source version (`Source: x (ver)`).
    expect(r.inventory.packages.every((p) => p.source && p.sourceVersion)).toBe(true)
    expect(r.findings.filter((f) => f.category === 'secret')).toEqual([])
    expect(r.warnings ?? []).toEqual([])
  })
})

const PRIVATE_KEY_BODY = randomBytes(600)
  .toString('base64')
  .match(/.{1,70}/g)!
  .join('\n')
const AWS_SECRET = randomBytes(30)
  .toString('base64')
  .replace(/[^A-Za-z0-9]/g, 'A')
  .slice(0, 40)
const ENV_TOKEN = randomBytes(16).toString('hex')

const APP_DOCKERFILE = `FROM debian:bookworm
RUN dpkg --purge --force-depends adduser
RUN mkdir -p /tmp/p/DEBIAN && printf 'Package: si-demo\\nVersion: 1.2.3-1\\nArchitecture: all\\nMaintainer: T <t@example.com>\\nSource: si-demo-src (1.2.0)\\nDescription: demo\\n' > /tmp/p/DEBIAN/control && dpkg-deb --build /tmp/p /tmp/p.deb >/dev/null && dpkg -i /tmp/p.deb && rm -rf /tmp/p /tmp/p.deb
COPY node_modules /usr/local/lib/node_modules
COPY dist-packages /usr/lib/python3/dist-packages
COPY app.jar /app/app.jar
COPY gobin /usr/local/bin/gobin
COPY id_rsa /root/.ssh/id_rsa
RUN rm /root/.ssh/id_rsa
COPY env /app/.env
RUN cp /bin/true /usr/local/bin/suid-tool && chmod 4755 /usr/local/bin/suid-tool && mkdir -m 0777 /data
ENV AWS_SECRET_ACCESS_KEY=${AWS_SECRET}
EXPOSE 22 8080
`

const GO_MODINFO =
  'path\texample.com/app\nmod\texample.com/app\tv1.4.0\th1:abc=\n' +
  'dep\tgolang.org/x/net\tv0.17.0\th1:def=\n' +
  'dep\tgithub.com/old/lib\tv1.0.0\th1:ghi=\n=>\tgithub.com/new/lib\tv1.2.0\th1:jkl=\n' +
  'build\t-compiler=gc\n'

describe('an application image on Debian 12', () => {
  let image: string
  let r: ScanResult
  const model = parseDockerfile(APP_DOCKERFILE, 'app/Dockerfile')

  beforeAll(async () => {
    const jar = makeZip([
      { name: 'META-INF/MANIFEST.MF', data: 'Manifest-Version: 1.0\n' },
      {
        name: 'META-INF/maven/com.fasterxml.jackson.core/jackson-databind/pom.properties',
        data: '#Generated\ngroupId=com.fasterxml.jackson.core\nartifactId=jackson-databind\nversion=2.9.8\n'
      },
      {
        name: 'BOOT-INF/lib/log4j-core-2.14.1.jar',
        data: makeZip([
          { name: 'META-INF/MANIFEST.MF', data: 'Manifest-Version: 1.0\n' },
          {
            name: 'META-INF/maven/org.apache.logging.log4j/log4j-core/pom.properties',
            data: 'version=2.14.1\ngroupId=org.apache.logging.log4j\nartifactId=log4j-core\n'
          }
        ])
      }
    ])
    image = await buildImage(APP_DOCKERFILE, [
      { name: 'node_modules/lodash/package.json', data: '{"name":"lodash","version":"4.17.20"}' },
      { name: 'node_modules/@types/node/package.json', data: '{"name":"@types/node","version":"20.1.0"}' },
      {
        name: 'node_modules/lodash/node_modules/minimist/package.json',
        data: '{"name":"minimist","version":"1.2.5"}'
      },
      {
        name: 'node_modules/lodash/test/fixture/package.json',
        data: '{"name":"not-a-dep","version":"0.0.1"}'
      },
      {
        name: 'dist-packages/requests-2.25.0.dist-info/METADATA',
        data: 'Metadata-Version: 2.1\nName: requests\nVersion: 2.25.0\nSummary: HTTP\n\nLong: description\nName: nope\n'
      },
      {
        name: 'dist-packages/Six.egg-info/PKG-INFO',
        data: 'Metadata-Version: 1.1\nName: Six\nVersion: 1.16.0\n'
      },
      { name: 'app.jar', data: jar },
      { name: 'gobin', data: makeGoElf('go1.21.5', GO_MODINFO), mode: 0o755 },
      {
        name: 'id_rsa',
        data: `-----BEGIN OPENSSH PRIVATE KEY-----\n${PRIVATE_KEY_BODY}\n-----END OPENSSH PRIVATE KEY-----\n`,
        mode: 0o600
      },
      { name: 'env', data: `DB_HOST=db\nAPI_TOKEN=${ENV_TOKEN}\nDEBUG=false\n` }
    ])
    made.push(image)
    r = await scanImage(image, { model, dockerfilePath: 'app/Dockerfile' })
  })

  it('has the same dpkg inventory as dpkg-query in the container: the purged package is gone, the new one is there', () => {
    const ours = r.inventory.packages
      .filter((p) => p.type === 'deb')
      .map((p) => `${p.name} ${p.version}`)
      .sort()
    expect(ours).toEqual(dpkgQuery(image))
    expect(ours.some((p) => p.startsWith('adduser '))).toBe(false)
    expect(ours).toContain('si-demo 1.2.3-1')
  })

  it('attributes packages to the Dockerfile line that added them, and base packages to FROM', () => {
    const demo = r.inventory.packages.find((p) => p.name === 'si-demo')!
    expect(demo).toMatchObject({ source: 'si-demo-src', sourceVersion: '1.2.0', ecosystem: 'Debian:12' })
    expect(demo.location).toEqual({ path: 'app/Dockerfile', startLine: 3, endLine: 3 })
    expect(demo.layer?.inherited).toBe(false)
    expect(demo.layer?.createdBy).toContain('dpkg -i /tmp/p.deb')
    const libc = r.inventory.packages.find((p) => p.name === 'libc6')!
    expect(libc.layer?.inherited).toBe(true)
    expect(libc.location).toEqual({ path: 'app/Dockerfile', startLine: 1, endLine: 1 })
    const layers = r.inventory.layers
    expect(layers[0].inherited).toBe(true)
    expect(layers.slice(1).every((l) => !l.inherited && l.location)).toBe(true)
    expect(layers.map((l) => l.location?.startLine)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])
  })

  it('finds npm, PyPI, Maven and Go packages with their purls and paths', () => {
    const by = (type: string): string[] =>
      r.inventory.packages
        .filter((p) => p.type === type)
        .map((p) => `${p.name}@${p.version} ${p.purl} ${p.path}`)
    expect(by('npm').sort()).toEqual([
      '@types/node@20.1.0 pkg:npm/%40types/node@20.1.0 /usr/local/lib/node_modules/@types/node/package.json',
      'lodash@4.17.20 pkg:npm/lodash@4.17.20 /usr/local/lib/node_modules/lodash/package.json',
      'minimist@1.2.5 pkg:npm/minimist@1.2.5 /usr/local/lib/node_modules/lodash/node_modules/minimist/package.json'
    ])
    expect(by('pypi').sort()).toEqual([
      'Six@1.16.0 pkg:pypi/six@1.16.0 /usr/lib/python3/dist-packages/Six.egg-info/PKG-INFO',
      'requests@2.25.0 pkg:pypi/requests@2.25.0 /usr/lib/python3/dist-packages/requests-2.25.0.dist-info/METADATA'
    ])
    expect(by('maven').sort()).toEqual([
      'com.fasterxml.jackson.core:jackson-databind@2.9.8 pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.8 /app/app.jar',
      'org.apache.logging.log4j:log4j-core@2.14.1 pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1 /app/app.jar!/BOOT-INF/lib/log4j-core-2.14.1.jar'
    ])
    expect(by('golang').sort()).toEqual([
      'example.com/app@v1.4.0 pkg:golang/example.com/app@v1.4.0 /usr/local/bin/gobin',
      'github.com/new/lib@v1.2.0 pkg:golang/github.com/new/lib@v1.2.0 /usr/local/bin/gobin',
      'golang.org/x/net@v0.17.0 pkg:golang/golang.org/x/net@v0.17.0 /usr/local/bin/gobin',
      'stdlib@1.21.5 pkg:golang/stdlib@1.21.5 /usr/local/bin/gobin'
    ])
    const ecos = new Set(
      r.inventory.packages.filter((p) => p.type !== 'deb').map((p) => `${p.type}:${p.ecosystem}`)
    )
    expect([...ecos].sort()).toEqual(['golang:Go', 'maven:Maven', 'npm:npm', 'pypi:PyPI'])
    const go = r.inventory.packages.find((p) => p.name === 'stdlib')!
    expect(go.location?.startLine).toBe(7)
  })

  it('reports the deleted private key as still in its layer, and the .env file, never printing them', () => {
    const secrets = r.findings.filter((f) => f.category === 'secret')
    expect(secrets.map((f) => `${f.ruleId} ${f.imagePath} ${f.location?.startLine}`).sort()).toEqual([
      'SI5001 /root/.ssh/id_rsa 8',
      'SI5013 /app/.env 10'
    ])
    const key = secrets.find((f) => f.ruleId === 'SI5001')!
    expect(key.severity).toBe('critical')
    expect(key.message).toMatch(
      /^private key in \/root\/\.ssh\/id_rsa is still in layer sha256:[a-f0-9]{12} though deleted later$/
    )
    expect(key.layer?.digest).toBe(r.inventory.layers[7].digest)
    const env = secrets.find((f) => f.ruleId === 'SI5013')!
    expect(env.message).not.toContain('deleted later')
    const all = JSON.stringify(r)
    expect(all).not.toContain(PRIVATE_KEY_BODY.slice(0, 40))
    expect(all).not.toContain(ENV_TOKEN)
    expect(JSON.stringify(r.findings)).not.toContain(AWS_SECRET)
  })

  it('checks the config: root, a secret in Env, port 22, our setuid binary, a world-writable directory', () => {
    const config = r.findings.filter((f) => f.category === 'config')
    expect(config.map((f) => `${f.ruleId} ${f.imagePath ?? ''} ${f.location?.startLine}`).sort()).toEqual([
      'SI3001  1',
      'SI3002  12',
      'SI3004  13',
      'SI3005 /usr/local/bin/suid-tool 11',
      'SI3006 /data 11'
    ])
    // /usr/bin/su and friends came with the base: not this image's doing.
    expect(config.some((f) => f.imagePath === '/usr/bin/su')).toBe(false)
    expect(config.find((f) => f.ruleId === 'SI3002')!.message).toContain('AWS_SECRET_ACCESS_KEY')
  })
})

describe('an rpm-based image', () => {
  it('reads the SQLite rpm database and names the Rocky Linux ecosystem', async () => {
    const rpmdb = gunzipSync(readFileSync(new URL('./fixtures/rpmdb.sqlite.gz', import.meta.url)))
    const image = await buildImage(
      'FROM scratch\nCOPY os-release /etc/os-release\nCOPY rpmdb.sqlite /var/lib/rpm/rpmdb.sqlite\n',
      [
        {
          name: 'os-release',
          data: 'NAME="Rocky Linux"\nVERSION="9.3 (Blue Onyx)"\nID="rocky"\nVERSION_ID="9.3"\n'
        },
        { name: 'rpmdb.sqlite', data: rpmdb }
      ]
    )
    made.push(image)
    const r = await scanImage(image)
    expect(r.inventory.os).toMatchObject({ id: 'rocky', versionId: '9.3', ecosystem: 'Rocky Linux:9' })
    expect(r.inventory.packages.map((p) => `${p.name} ${p.version} ${p.ecosystem}`)).toEqual([
      'bash 5.1.8-6.el9_1 Rocky Linux:9',
      'big-desc 3:0.1-1.el9 Rocky Linux:9',
      'glibc-common 2.34-83.el9.7 Rocky Linux:9',
      'openssl-libs 1:3.0.7-24.el9 Rocky Linux:9',
      'python3-libs 3.9.18-1.el9_3 Rocky Linux:9',
      'zlib 1.2.11-40.el9 Rocky Linux:9'
    ])
    const ssl = r.inventory.packages.find((p) => p.name === 'openssl-libs')!
    expect(ssl).toMatchObject({
      source: 'openssl',
      sourceVersion: '1:3.0.7-24.el9',
      path: '/var/lib/rpm/rpmdb.sqlite'
    })
    expect(ssl.purl).toBe(
      'pkg:rpm/rocky/openssl-libs@3.0.7-24.el9?arch=x86_64&distro=rocky-9.3&epoch=1&upstream=openssl-3.0.7-24.el9.src.rpm'
    )
  })
})

describe('an image built with BuildKit', () => {
  it('attributes layers through BuildKit history entries', async () => {
    const dockerfile = `FROM busybox:stable AS base
RUN echo one > /one

FROM base
WORKDIR /srv
ENV A=1
COPY pkg /srv/node_modules/left-pad
RUN echo two > /two
USER 10001
`
    const image = await buildImage(
      dockerfile,
      [{ name: 'pkg/package.json', data: '{"name":"left-pad","version":"1.3.0"}' }],
      { buildkit: true }
    )
    made.push(image)
    const r = await scanImage(image, { model: parseDockerfile(dockerfile) })
    const lines = r.inventory.layers.map((l) =>
      l.inherited ? `FROM@${l.location?.startLine}` : l.location?.startLine
    )
    // busybox's own layer, then RUN (stage base, line 2), WORKDIR (may or may not make a layer), COPY, RUN.
    expect(lines[0]).toBe('FROM@1')
    expect(lines.filter((l) => typeof l === 'number')).toEqual(lines.length === 5 ? [2, 5, 7, 8] : [2, 7, 8])
    const pad = r.inventory.packages.find((p) => p.name === 'left-pad')!
    expect(pad.location?.startLine).toBe(7)
    expect(pad.layer?.createdBy).toMatch(/^COPY /)
    expect(r.findings.some((f) => f.ruleId === 'SI3001')).toBe(false)
  })
})
