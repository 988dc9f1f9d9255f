/** Edge cases of the language package readers, on small inputs made here (the real-tool tests are in ../). */
import { describe, expect, it } from '@jest/globals'
import { deflateSync } from 'node:zlib'
import { composerAnalyzer, parseComposerInstalled } from '../../../src/scan/inventory/composer.js'
import { dotnetAnalyzer } from '../../../src/scan/inventory/dotnet.js'
import { gemAnalyzer, parseGemspec } from '../../../src/scan/inventory/gem.js'
import { auditableFromElf, parseAuditableData } from '../../../src/scan/inventory/rust.js'
import { readJar } from '../../../src/scan/inventory/java.js'
import { makeZip } from '../helpers.js'

describe('RubyGems specifications', () => {
  it('reads name and version, falling back to the stub line; matches only specifications/', () => {
    expect(
      parseGemspec(
        'Gem::Specification.new do |s|\n  s.name = "rack".freeze\n  s.version = "2.2.8"\nend\n',
        'x'
      )
    ).toEqual([
      {
        type: 'gem',
        name: 'rack',
        version: '2.2.8',
        ecosystem: 'RubyGems',
        purl: 'pkg:gem/rack@2.2.8',
        path: 'x'
      }
    ])
    const stub =
      '# stub: nokogiri 1.15.4 x86_64-linux lib\nGem::Specification.new do |spec|\n  spec.name = "nokogiri"\n  spec.version = Gem::Version.new(VERSION)\nend\n'
    expect(parseGemspec(stub, 'x').map((p) => p.version)).toEqual(['1.15.4'])
    expect(parseGemspec('s.required_rubygems_version = ">= 0"\n', 'x')).toEqual([])
    expect(gemAnalyzer.match('usr/local/bundle/specifications/rack-2.2.8.gemspec')).toBe(true)
    expect(gemAnalyzer.match('usr/lib/ruby/gems/3.1.0/specifications/default/json-2.6.1.gemspec')).toBe(true)
    expect(gemAnalyzer.match('src/rack.gemspec')).toBe(false)
  })
})

describe('Composer installed.json', () => {
  it('keeps dev branches as written and skips entries without a vendor', () => {
    const v1 = JSON.stringify([
      { name: 'acme/tool', version: 'dev-main' },
      { name: 'noslash', version: '1.0.0' },
      { name: 'symfony/http-kernel', version: 'v5.4.21' }
    ])
    expect(parseComposerInstalled(v1, 'x').map((p) => `${p.name} ${p.version} ${p.purl}`)).toEqual([
      'acme/tool dev-main pkg:composer/acme/tool@dev-main',
      'symfony/http-kernel 5.4.21 pkg:composer/symfony/http-kernel@5.4.21'
    ])
    expect(() => parseComposerInstalled('not json', 'x')).toThrow()
    expect(composerAnalyzer.match('var/www/vendor/composer/installed.json')).toBe(true)
    expect(dotnetAnalyzer.match('app/WebApp.deps.json')).toBe(true)
    expect(dotnetAnalyzer.match('app/.deps.json')).toBe(false)
  })
})

describe('cargo-auditable data', () => {
  it('lists crates.io crates only, and survives a hostile ELF head', () => {
    const data = deflateSync(
      Buffer.from(
        JSON.stringify({
          packages: [
            { name: 'app', version: '0.1.0', source: 'crates.io', root: true },
            { name: 'libc', version: '0.2.150', source: 'crates.io' },
            { name: 'mine', version: '1.0.0', source: 'local' }
          ]
        })
      )
    )
    expect(parseAuditableData(data, 'bin').map((p) => `${p.name}@${p.version}`)).toEqual(['libc@0.2.150'])
    expect(() => parseAuditableData(deflateSync(Buffer.from('{}')), 'bin')).toThrow(/no "packages"/)
    const head = Buffer.alloc(64)
    head.writeUInt32BE(0x7f454c46, 0)
    head[4] = 2
    head[5] = 1
    expect(auditableFromElf(head, () => undefined, 'bin')).toEqual({ packages: [], skipped: [] })
  })
})

describe('Java archives in memory', () => {
  it('reports encrypted and unknown-method nested entries, and nesting that is too deep', () => {
    const zip = makeZip([{ name: 'lib/inner.jar', data: 'x' }])
    // Mark the stored entry encrypted (general purpose flag bit 0).
    const enc = Buffer.from(zip)
    enc.writeUInt16LE(enc.readUInt16LE(6) | 1, 6)
    expect(readJar(enc, 'a.jar').skipped).toEqual([
      { path: 'a.jar!/lib/inner.jar', reason: 'the entry is encrypted' }
    ])
    const bz = Buffer.from(zip)
    bz.writeUInt16LE(12, 8)
    expect(readJar(bz, 'a.jar').skipped[0].reason).toMatch(/compression method 12/)
    let nested = makeZip([
      { name: 'META-INF/maven/g/a/pom.properties', data: 'groupId=g\nartifactId=a\nversion=1\n' }
    ])
    for (let i = 0; i < 18; i++) nested = makeZip([{ name: `l${i}.jar`, data: nested }])
    const r = readJar(nested, 'deep.jar')
    expect(r.packages).toEqual([])
    expect(readJar(Buffer.alloc(0), 'empty.jar')).toEqual({ packages: [], skipped: [] })
    expect(readJar(Buffer.alloc(2 * 1024 * 1024, 0x41), 'big.jar').skipped).toEqual([
      { path: 'big.jar', reason: 'not fully read: it is not a zip archive (none in its first 1048576 bytes)' }
    ])
    expect(r.skipped).toEqual([
      {
        path: expect.stringMatching(/^deep\.jar(!\/l\d+\.jar){17}$/),
        reason: expect.stringMatching(/nested more than 16/)
      }
    ])
  })
})
