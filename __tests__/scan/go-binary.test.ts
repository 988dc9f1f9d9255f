/**
 * A Go binary compiled here by the real Go toolchain (Debian's golang-go), with a dependency, put in an image and
 * scanned: its embedded build info must give the main module, the dependency and the Go standard library.
 */
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildImage, removeImages, scanImage } from './helpers.js'

let dir: string
let binary: Buffer
let goVersion: string
let goReport: string
const images: string[] = []

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'si-go-'))
  // The dependency is vendored, so the build needs no module proxy.
  mkdirSync(join(dir, 'vendor/example.com/greet'), { recursive: true })
  writeFileSync(
    join(dir, 'vendor/example.com/greet/greet.go'),
    'package greet\n\nfunc Hello() string { return "hello" }\n'
  )
  writeFileSync(
    join(dir, 'vendor/modules.txt'),
    '# example.com/greet v1.2.3\n## explicit; go 1.18\nexample.com/greet\n'
  )
  writeFileSync(
    join(dir, 'go.mod'),
    'module example.com/hello\n\ngo 1.18\n\nrequire example.com/greet v1.2.3\n'
  )
  writeFileSync(
    join(dir, 'main.go'),
    'package main\n\nimport (\n\t"fmt"\n\t"example.com/greet"\n)\n\nfunc main() { fmt.Println(greet.Hello()) }\n'
  )
  const env = {
    ...process.env,
    GOPROXY: 'off',
    GOFLAGS: '-mod=vendor',
    CGO_ENABLED: '0',
    GOCACHE: join(dir, '.cache'),
    GOPATH: join(dir, '.gopath')
  }
  execFileSync('go', ['build', '-o', 'hello', '.'], { cwd: dir, env })
  binary = readFileSync(join(dir, 'hello'))
  goVersion = execFileSync('go', ['env', 'GOVERSION'], { env, encoding: 'utf8' }).trim()
  // What the toolchain itself says is in the binary.
  goReport = execFileSync('go', ['version', '-m', join(dir, 'hello')], { env, encoding: 'utf8' })
})

afterAll(() => {
  removeImages(...images)
  rmSync(dir, { recursive: true, force: true })
})

describe('Go binaries built by the Go toolchain', () => {
  it('inventories the main module, its dependency and the standard library', async () => {
    const name = await buildImage('FROM scratch\nCOPY hello /usr/local/bin/hello\n', [
      { name: 'hello', data: binary, mode: 0o755 }
    ])
    images.push(name)
    const { inventory } = await scanImage(name)
    const go = inventory.packages
      .filter((p) => p.ecosystem === 'Go')
      .map((p) => `${p.name}@${p.version} ${p.path}`)
      .sort()
    expect(goVersion).toMatch(/^go1\.\d+/)
    expect(goReport).toMatch(/\tdep\texample\.com\/greet\tv1\.2\.3/)
    // The main module is `(devel)` in a local build: it has no version to match, so it is not listed.
    expect(go).toEqual(
      [
        `stdlib@${goVersion.replace(/^go/, '')} /usr/local/bin/hello`,
        'example.com/greet@v1.2.3 /usr/local/bin/hello'
      ].sort()
    )
  })
})
