/**
 * Language packages beyond npm, PyPI, Go and Maven, each in an image built by the real engine and scanned:
 * - RubyGems: a gem built by `gem build` and installed by `gem install`, plus Ruby's own default gems; the
 *   oracle is RubyGems itself loading the specifications (`Gem::Specification.each_spec`).
 * - Composer: packages installed by the real `composer install` from path repositories (no network); the
 *   oracle is `composer show --format=json`. Composer 1's shape (a bare array of the same package objects)
 *   is made from that file, as Composer 1 wrote it.
 * - .NET: a `deps.json` in the shape the .NET SDK writes (no .NET SDK here to write one).
 * - Rust: the `.dep-v0` section of cargo-auditable (zlib-compressed JSON in its documented format) added to a
 *   real ELF executable with binutils' `objcopy --add-section`, as cargo-auditable is not in Debian.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { deflateSync } from 'node:zlib'
import { parseComposerInstalled } from '../../src/scan/inventory/composer.js'
import { parseDepsJson } from '../../src/scan/inventory/dotnet.js'
import type { ScanResult } from '../../src/scan/types.js'
import { buildImage, removeImages, scanImage, type TarEntry } from './helpers.js'

let dir: string
const made: string[] = []
const run = (cmd: string, args: string[], cwd?: string, env: Record<string, string> = {}): string =>
  execFileSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'si-lang-'))
})
afterAll(() => {
  removeImages(...made)
  rmSync(dir, { recursive: true, force: true })
})

/** Every file under `root`, as build-context entries under `prefix`. */
function tree(root: string, prefix: string): TarEntry[] {
  const out: TarEntry[] = []
  for (const e of readdirSync(root, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue
    const full = join(e.parentPath, e.name)
    out.push({ name: `${prefix}/${full.slice(root.length + 1)}`, data: readFileSync(full) })
  }
  return out
}

async function scan(dockerfile: string, files: TarEntry[]): Promise<ScanResult> {
  const name = await buildImage(dockerfile, files)
  made.push(name)
  return scanImage(name)
}

const list = (r: ScanResult, ecosystem: string): string[] =>
  r.inventory.packages
    .filter((p) => p.ecosystem === ecosystem)
    .map((p) => `${p.name} ${p.version}`)
    .sort()

describe('RubyGems', () => {
  it('lists installed and default gems as RubyGems itself loads them', async () => {
    const src = join(dir, 'gem')
    mkdirSync(join(src, 'lib'), { recursive: true })
    writeFileSync(join(src, 'lib/si_demo.rb'), 'module SiDemo; end\n')
    writeFileSync(
      join(src, 'si-demo.gemspec'),
      'Gem::Specification.new do |s|\n  s.name = "si-demo"\n  s.version = "1.2.3"\n  s.summary = "demo"\n' +
        '  s.authors = ["t"]\n  s.files = ["lib/si_demo.rb"]\n  s.license = "MIT"\nend\n'
    )
    run('gem', ['build', 'si-demo.gemspec'], src)
    const home = join(dir, 'gemhome')
    run(
      'gem',
      ['install', '--local', '--install-dir', home, '--no-document', join(src, 'si-demo-1.2.3.gem')],
      src
    )
    const defaults = run('ruby', ['-e', 'puts Gem.default_specifications_dir']).trim()
    const each = (d: string): string[] =>
      run('ruby', ['-e', 'Gem::Specification.each_spec([ARGV[0]]) { |s| puts "#{s.name} #{s.version}" }', d])
        .trim()
        .split('\n')
    const oracle = [...each(join(home, 'specifications')), ...each(defaults)].sort()
    expect(oracle).toContain('si-demo 1.2.3')
    expect(oracle.length).toBeGreaterThan(20)

    const r = await scan(
      'FROM busybox:stable\nCOPY bundle /usr/local/bundle\nCOPY default /usr/lib/ruby/gems/3.1.0/specifications/default\n',
      [...tree(home, 'bundle'), ...tree(defaults, 'default')]
    )
    expect(list(r, 'RubyGems')).toEqual(oracle)
    expect(r.inventory.packages.find((p) => p.name === 'si-demo')).toMatchObject({
      type: 'gem',
      purl: 'pkg:gem/si-demo@1.2.3',
      path: '/usr/local/bundle/specifications/si-demo-1.2.3.gemspec'
    })
  }, 120_000)
})

describe('Composer', () => {
  it('lists what composer show lists, from installed.json in both shapes', async () => {
    const root = join(dir, 'php')
    for (const [name, json] of [
      ['alpha', { name: 'acme/alpha', version: '1.4.0', type: 'library', require: { 'acme/beta': '^2.0' } }],
      ['beta', { name: 'acme/beta', version: 'v2.0.1', type: 'library' }]
    ] as const) {
      mkdirSync(join(root, 'pkgs', name), { recursive: true })
      writeFileSync(join(root, 'pkgs', name, 'composer.json'), JSON.stringify(json))
    }
    mkdirSync(join(root, 'app'))
    writeFileSync(
      join(root, 'app/composer.json'),
      JSON.stringify({
        name: 'acme/app',
        require: { 'acme/alpha': '1.4.0' },
        repositories: [
          { type: 'path', url: '../pkgs/*', options: { symlink: false } },
          { 'packagist.org': false }
        ]
      })
    )
    const env = { COMPOSER_HOME: join(root, 'home'), COMPOSER_DISABLE_NETWORK: '1' }
    run(
      'composer',
      ['install', '--no-interaction', '--no-plugins', '--no-scripts', '--no-progress'],
      join(root, 'app'),
      env
    )
    const shown = JSON.parse(run('composer', ['show', '--format=json'], join(root, 'app'), env)) as {
      installed: { name: string; version: string }[]
    }
    // Packagist advisories write versions without a tag's `v`.
    const oracle = shown.installed.map((p) => `${p.name} ${p.version.replace(/^v(?=\d)/, '')}`).sort()
    expect(oracle).toEqual(['acme/alpha 1.4.0', 'acme/beta 2.0.1'])

    const v2 = readFileSync(join(root, 'app/vendor/composer/installed.json'))
    const v1 = Buffer.from(JSON.stringify((JSON.parse(v2.toString()) as { packages: unknown[] }).packages))
    const r = await scan(
      'FROM busybox:stable\nCOPY v2.json /srv/app/vendor/composer/installed.json\nCOPY v1.json /srv/old/vendor/composer/installed.json\n',
      [
        { name: 'v2.json', data: v2 },
        { name: 'v1.json', data: v1 }
      ]
    )
    expect(list(r, 'Packagist')).toEqual([...oracle, ...oracle].sort())
    expect(r.inventory.packages.find((p) => p.name === 'acme/beta')?.purl).toBe(
      'pkg:composer/acme/beta@2.0.1'
    )
    expect(() => parseComposerInstalled('{"nothing":1}', 'x')).toThrow(
      /neither a package array nor "packages"/
    )
  }, 120_000)
})

describe('.NET', () => {
  it('lists the NuGet packages of a deps.json, not the projects', async () => {
    const deps = {
      runtimeTarget: { name: '.NETCoreApp,Version=v8.0', signature: '' },
      compilationOptions: {},
      targets: {
        '.NETCoreApp,Version=v8.0': {
          'WebApp/1.0.0': {
            dependencies: { 'Newtonsoft.Json': '13.0.1', 'System.Text.Encodings.Web': '4.7.1' }
          },
          'Newtonsoft.Json/13.0.1': { runtime: { 'lib/net6.0/Newtonsoft.Json.dll': {} } },
          'System.Text.Encodings.Web/4.7.1': {
            runtime: { 'lib/netstandard2.1/System.Text.Encodings.Web.dll': {} }
          },
          'Shared.Lib/1.0.0': { runtime: { 'Shared.Lib.dll': {} } }
        }
      },
      libraries: {
        'WebApp/1.0.0': { type: 'project', serviceable: false, sha512: '' },
        'Newtonsoft.Json/13.0.1': {
          type: 'package',
          serviceable: true,
          sha512:
            'sha512-ppPFpBcvxdsfUonNcvITKqLl3bqxWbDCZIzDWHzjpdAHRFfZe0Dw9HmA0+za13IdyrgJwpkDTDA9fHaxOrt20A==',
          path: 'newtonsoft.json/13.0.1',
          hashPath: 'newtonsoft.json.13.0.1.nupkg.sha512'
        },
        'System.Text.Encodings.Web/4.7.1': {
          type: 'package',
          serviceable: true,
          sha512: 'sha512-x',
          path: 'system.text.encodings.web/4.7.1',
          hashPath: 'system.text.encodings.web.4.7.1.nupkg.sha512'
        },
        'Shared.Lib/1.0.0': { type: 'project', serviceable: false, sha512: '' }
      }
    }
    const r = await scan('FROM busybox:stable\nCOPY WebApp.deps.json /app/WebApp.deps.json\n', [
      { name: 'WebApp.deps.json', data: JSON.stringify(deps, null, 2) }
    ])
    expect(list(r, 'NuGet')).toEqual(['Newtonsoft.Json 13.0.1', 'System.Text.Encodings.Web 4.7.1'])
    expect(r.inventory.packages.find((p) => p.name === 'Newtonsoft.Json')?.purl).toBe(
      'pkg:nuget/Newtonsoft.Json@13.0.1'
    )
    expect(() => parseDepsJson('{}', 'x')).toThrow(/no "libraries"/)
  })
})

describe('Rust (cargo-auditable)', () => {
  const audit = {
    packages: [
      { name: 'hello', version: '0.1.0', source: 'local', dependencies: [1, 2, 3], root: true },
      { name: 'serde', version: '1.0.190', source: 'crates.io' },
      { name: 'time', version: '0.3.20', source: 'crates.io', dependencies: [4] },
      { name: 'helper', version: '0.2.0', source: 'git' },
      { name: 'time-core', version: '0.1.0', source: 'crates.io' },
      { name: 'cc', version: '1.0.83', source: 'crates.io', kind: 'build' }
    ]
  }

  /** /bin/true with the given sections added by objcopy, one run each, so they sit in the file in that order. */
  function elf(name: string, sections: [string, Buffer][]): Buffer {
    const out = join(dir, name)
    copyFileSync('/bin/true', out)
    for (const [s, data] of sections) {
      writeFileSync(join(dir, `${name}${s}`), data)
      execFileSync('objcopy', [
        '--add-section',
        `${s}=${join(dir, `${name}${s}`)}`,
        '--set-section-flags',
        `${s}=noload,readonly`,
        out
      ])
    }
    chmodSync(out, 0o755)
    expect(run('readelf', ['-S', '-W', out])).toContain('.dep-v0')
    return readFileSync(out)
  }

  it('lists the crates.io crates of the .dep-v0 section, and reports a section it cannot reach', async () => {
    const dep = deflateSync(Buffer.from(JSON.stringify(audit)))
    const small = elf('hello', [['.dep-v0', dep]])
    // The section first, then 20 MiB of other data before the section table: beyond the tail that is kept.
    const big = elf('big', [
      ['.dep-v0', dep],
      ['.zpad', Buffer.alloc(20 * 1024 * 1024, 7)]
    ])
    const r = await scan(
      'FROM busybox:stable\nCOPY hello /usr/local/bin/hello\nCOPY big /usr/local/bin/big\n',
      [
        { name: 'hello', data: small, mode: 0o755 },
        { name: 'big', data: big, mode: 0o755 }
      ]
    )
    expect(list(r, 'crates.io')).toEqual(['cc 1.0.83', 'serde 1.0.190', 'time 0.3.20', 'time-core 0.1.0'])
    expect(r.inventory.packages.find((p) => p.name === 'serde')).toMatchObject({
      type: 'cargo',
      purl: 'pkg:cargo/serde@1.0.190',
      path: '/usr/local/bin/hello'
    })
    expect(r.inventory.skipped).toEqual([
      {
        path: '/usr/local/bin/big',
        reason: expect.stringMatching(/cargo-auditable section lies before the last/)
      }
    ])
  }, 120_000)
})
