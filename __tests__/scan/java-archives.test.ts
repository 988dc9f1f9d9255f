/**
 * Java archives packed by Info-ZIP's `zip`, holding real Maven-built jars from Debian (log4j-core, gson,
 * commons-codec), scanned through the real engine:
 * - a Spring Boot fat jar (nested jars stored under BOOT-INF/lib/) with a launch script before it, as an
 *   executable Spring Boot jar has, and a nested jar of more than 32 MiB whose pom.properties comes last;
 * - a war written to a pipe, so that its deflated entries carry data descriptors instead of sizes, inside an
 *   ear (three levels of nesting);
 * - a truncated nested jar, which must be reported as skipped.
 * The oracle for each jar is `unzip`: the pom.properties files it lists and prints.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ZipStream, readJar } from '../../src/scan/inventory/java.js'
import type { StreamResult } from '../../src/scan/inventory/types.js'
import { buildImage, removeImages, scanImage } from './helpers.js'

const REAL = ['log4j-core', 'gson', 'commons-codec']
let dir: string
const made: string[] = []

const sh = (cmd: string, args: string[], cwd?: string): string =>
  execFileSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })

/** `group:artifact@version` of every pom.properties in a jar, as unzip lists and prints them. */
function unzipOracle(jar: string): string[] {
  return sh('unzip', ['-Z1', jar])
    .split('\n')
    .filter((n) => /^META-INF\/maven\/[^/]+\/[^/]+\/pom\.properties$/.test(n))
    .map((n) => {
      const text = sh('unzip', ['-p', jar, n])
      const get = (k: string): string => new RegExp(`^${k}\\s*[=:]\\s*(.*)$`, 'm').exec(text)![1].trim()
      return `${get('groupId')}:${get('artifactId')}@${get('version')}`
    })
}

/** Whether the first half of gson.jar (broken.jar) holds the whole pom.properties entry. */
function brokenHasPom(): boolean {
  const gson = readFileSync(join(dir, 'fat/BOOT-INF/lib/gson.jar'))
  const name = 'META-INF/maven/com.google.code.gson/gson/pom.properties'
  const at = gson.indexOf(Buffer.concat([Buffer.from(name)]))
  return at > 0 && at + name.length + 200 < gson.length >> 1
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'si-java-'))
  const lib = join(dir, 'fat/BOOT-INF/lib')
  mkdirSync(lib, { recursive: true })
  mkdirSync(join(dir, 'fat/BOOT-INF/classes/com/example'), { recursive: true })
  mkdirSync(join(dir, 'fat/META-INF/maven/com.example/app'), { recursive: true })
  for (const j of REAL) copyFileSync(realpathSync(`/usr/share/java/${j}.jar`), join(lib, `${j}.jar`))
  // A nested jar over 32 MiB, its pom.properties after 40 MiB of incompressible data.
  mkdirSync(join(dir, 'big/META-INF/maven/com.example/big'), { recursive: true })
  writeFileSync(join(dir, 'big/data.bin'), randomBytes(40 * 1024 * 1024))
  writeFileSync(
    join(dir, 'big/META-INF/maven/com.example/big/pom.properties'),
    'groupId=com.example\nartifactId=big\nversion=9.9.9\n'
  )
  sh(
    'zip',
    ['-q', '-0', join(lib, 'big-9.9.9.jar'), 'data.bin', 'META-INF/maven/com.example/big/pom.properties'],
    join(dir, 'big')
  )
  // A nested jar cut in half.
  const gson = readFileSync(join(lib, 'gson.jar'))
  writeFileSync(join(lib, 'broken.jar'), gson.subarray(0, gson.length >> 1))
  writeFileSync(join(dir, 'fat/BOOT-INF/classes/com/example/App.class'), randomBytes(2000))
  writeFileSync(
    join(dir, 'fat/META-INF/maven/com.example/app/pom.properties'),
    'groupId=com.example\nartifactId=app\nversion=1.0.0\n'
  )
  // Spring Boot stores nested jars; everything else is deflated.
  sh('zip', ['-q', '-0', '-r', join(dir, 'plain.jar'), 'BOOT-INF/lib'], join(dir, 'fat'))
  sh('zip', ['-q', '-r', join(dir, 'plain.jar'), 'BOOT-INF/classes', 'META-INF'], join(dir, 'fat'))
  // The executable form: a launch script before the archive, offsets adjusted by `zip -A`.
  writeFileSync(
    join(dir, 'app.jar'),
    Buffer.concat([
      Buffer.from('#!/bin/bash\nexec java -jar "$0" "$@"\n'),
      readFileSync(join(dir, 'plain.jar'))
    ])
  )
  sh('zip', ['-q', '-A', join(dir, 'app.jar')])
  // A war written to a pipe (data descriptors), inside an ear.
  mkdirSync(join(dir, 'war/WEB-INF/lib'), { recursive: true })
  for (const j of ['gson', 'commons-codec'])
    copyFileSync(join(lib, `${j}.jar`), join(dir, `war/WEB-INF/lib/${j}.jar`))
  writeFileSync(
    join(dir, 'shop.war'),
    execFileSync('sh', ['-c', 'zip -q -r - WEB-INF | cat'], { cwd: join(dir, 'war') })
  )
  sh('zip', ['-q', join(dir, 'shop.ear'), 'shop.war'], dir)
}, 120_000)

afterAll(() => {
  removeImages(...made)
  rmSync(dir, { recursive: true, force: true })
})

describe('Java archives', () => {
  it('the fixtures are what they claim: stored nested jars, data descriptors, a script before the archive', () => {
    const zipinfo = sh('zipinfo', ['-v', join(dir, 'shop.war')])
    expect(zipinfo).toMatch(/extended local header:\s+yes/)
    expect(sh('zipinfo', [join(dir, 'app.jar')])).toMatch(/stor.*BOOT-INF\/lib\/big-9\.9\.9\.jar/)
    expect(readFileSync(join(dir, 'app.jar')).subarray(0, 2).toString()).toBe('#!')
  })

  it('reads every nested pom.properties at any size and depth, and reports the truncated jar', async () => {
    const name = await buildImage(
      'FROM busybox:stable\nCOPY app.jar /app/app.jar\nCOPY shop.ear /srv/shop.ear\n',
      [
        { name: 'app.jar', data: readFileSync(join(dir, 'app.jar')) },
        { name: 'shop.ear', data: readFileSync(join(dir, 'shop.ear')) }
      ]
    )
    made.push(name)
    const r = await scanImage(name)
    const lib = join(dir, 'fat/BOOT-INF/lib')
    const expected = [
      ...REAL.flatMap((j) =>
        unzipOracle(join(lib, `${j}.jar`)).map((p) => `${p} /app/app.jar!/BOOT-INF/lib/${j}.jar`)
      ),
      ...unzipOracle(join(lib, 'big-9.9.9.jar')).map((p) => `${p} /app/app.jar!/BOOT-INF/lib/big-9.9.9.jar`),
      'com.example:app@1.0.0 /app/app.jar',
      // The half of gson.jar that is there is read: listed when its pom.properties lies in that half.
      ...(brokenHasPom()
        ? unzipOracle(join(lib, 'gson.jar')).map((p) => `${p} /app/app.jar!/BOOT-INF/lib/broken.jar`)
        : []),
      ...['gson', 'commons-codec'].flatMap((j) =>
        unzipOracle(join(lib, `${j}.jar`)).map((p) => `${p} /srv/shop.ear!/shop.war!/WEB-INF/lib/${j}.jar`)
      )
    ].sort()
    expect(expected).toContain(
      'org.apache.logging.log4j:log4j-core@2.19.0 /app/app.jar!/BOOT-INF/lib/log4j-core.jar'
    )
    expect(expected).toContain('com.example:big@9.9.9 /app/app.jar!/BOOT-INF/lib/big-9.9.9.jar')
    const ours = r.inventory.packages
      .filter((p) => p.ecosystem === 'Maven')
      .map((p) => `${p.name}@${p.version} ${p.path}`)
      .sort()
    expect(ours).toEqual(expected)
    expect(r.inventory.skipped).toEqual([
      {
        path: '/app/app.jar!/BOOT-INF/lib/broken.jar',
        reason: expect.stringMatching(/^not fully read: it ends inside the entry/)
      }
    ])
  }, 120_000)

  it('streams a 256 MiB nested archive with bounded memory', () => {
    const out: StreamResult = { packages: [], skipped: [] }
    const z = new ZipStream('huge.jar', 0, out)
    const local = (name: string, size: number, method = 0): Buffer => {
      const h = Buffer.alloc(30)
      h.writeUInt32LE(0x04034b50, 0)
      h.writeUInt16LE(method, 8)
      h.writeUInt32LE(size, 18)
      h.writeUInt32LE(size, 22)
      h.writeUInt16LE(Buffer.byteLength(name), 26)
      return Buffer.concat([h, Buffer.from(name)])
    }
    const pom = Buffer.from('groupId=g\nartifactId=deep\nversion=1\n')
    const innerSize = 256 * 1024 * 1024
    const tail = Buffer.concat([local('META-INF/maven/g/deep/pom.properties', pom.length), pom])
    z.write(local('BOOT-INF/lib/inner.jar', innerSize + 30 + 'blob'.length + tail.length))
    z.write(local('blob', innerSize))
    let peak = 0
    for (let i = 0; i < 256; i++) {
      z.write(Buffer.alloc(1024 * 1024))
      peak = Math.max(peak, process.memoryUsage().arrayBuffers)
    }
    z.write(tail)
    z.end()
    expect(out.packages.map((p) => `${p.name}@${p.version} ${p.path}`)).toEqual([
      'g:deep@1 huge.jar!/BOOT-INF/lib/inner.jar'
    ])
    // Well under the 256 MiB that went through: the archive was never held whole.
    expect(peak).toBeLessThan(192 * 1024 * 1024)
    expect(readJar(Buffer.from('not a zip at all'), 'x.jar').skipped).toEqual([
      { path: 'x.jar', reason: 'not fully read: it is not a zip archive' }
    ])
  })
})
