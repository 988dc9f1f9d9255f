import { describe, expect, it } from '@jest/globals'
import { parseDpkgStatus, dpkgAnalyzer } from '../../../src/scan/inventory/dpkg.js'
import { parseApkInstalled } from '../../../src/scan/inventory/apk.js'
import { npmAnalyzer, parseNpmManifest } from '../../../src/scan/inventory/npm.js'
import { parsePythonMetadata, pythonAnalyzer } from '../../../src/scan/inventory/python.js'
import { parseJar } from '../../../src/scan/inventory/java.js'
import { GoBuildInfoSink, parseBuildInfo } from '../../../src/scan/inventory/go.js'
import { purl, type RawPackage } from '../../../src/scan/inventory/types.js'
import { makeGoElf, makeZip } from '../helpers.js'

describe('dpkg', () => {
  const status = `Package: libc6
Status: install ok installed
Priority: optional
Architecture: amd64
Multi-Arch: same
Source: glibc
Version: 2.36-9+deb12u4
Description: GNU C Library
 with a continuation line

Package: libssl3
Status: install ok installed
Architecture: amd64
Source: openssl (3.0.11-1~deb12u2)
Version: 3.0.11-1~deb12u2+b1

Package: oldconf
Status: deinstall ok config-files
Architecture: all
Version: 1.0

Package: gone
Status: purge ok not-installed
Architecture: all
`

  it('keeps installed packages with their source name and version', () => {
    expect(parseDpkgStatus(status, 'var/lib/dpkg/status')).toEqual([
      {
        type: 'deb',
        name: 'libc6',
        version: '2.36-9+deb12u4',
        arch: 'amd64',
        source: 'glibc',
        sourceVersion: '2.36-9+deb12u4',
        path: 'var/lib/dpkg/status'
      },
      {
        type: 'deb',
        name: 'libssl3',
        version: '3.0.11-1~deb12u2+b1',
        arch: 'amd64',
        source: 'openssl',
        sourceVersion: '3.0.11-1~deb12u2',
        path: 'var/lib/dpkg/status'
      }
    ])
  })

  it('reads distroless status.d files, which have no Status field, and skips their md5sums', () => {
    expect(dpkgAnalyzer.match('var/lib/dpkg/status.d/base')).toBe(true)
    expect(dpkgAnalyzer.match('var/lib/dpkg/status.d/base.md5sums')).toBe(false)
    expect(dpkgAnalyzer.match('var/lib/dpkg/status-old')).toBe(false)
    const pkgs = dpkgAnalyzer.parse(
      'var/lib/dpkg/status.d/tzdata',
      Buffer.from('Package: tzdata\nVersion: 2024a-0+deb12u1\nArchitecture: all\n')
    )
    expect(pkgs.map((p) => `${p.name} ${p.version} ${p.source}`)).toEqual(['tzdata 2024a-0+deb12u1 tzdata'])
  })
})

describe('apk', () => {
  it('reads P/V/A and the o: origin as source', () => {
    const db =
      'C:Q1x=\nP:libcrypto3\nV:3.1.4-r5\nA:x86_64\no:openssl\nT:crypto\n\nP:busybox\nV:1.36.1-r15\nA:x86_64\n\n'
    expect(
      parseApkInstalled(db, 'lib/apk/db/installed').map((p) => `${p.name} ${p.version} ${p.source} ${p.arch}`)
    ).toEqual(['libcrypto3 3.1.4-r5 openssl x86_64', 'busybox 1.36.1-r15 busybox x86_64'])
  })
})

describe('npm and PyPI', () => {
  it('matches package.json only directly under node_modules/<name> or node_modules/@scope/<name>', () => {
    expect(npmAnalyzer.match('app/node_modules/lodash/package.json')).toBe(true)
    expect(npmAnalyzer.match('usr/local/lib/node_modules/@scope/pkg/package.json')).toBe(true)
    expect(npmAnalyzer.match('app/node_modules/a/node_modules/b/package.json')).toBe(true)
    expect(npmAnalyzer.match('app/package.json')).toBe(false)
    expect(npmAnalyzer.match('app/node_modules/lodash/lib/package.json')).toBe(false)
    expect(npmAnalyzer.match('app/node_modules/.bin/package.json')).toBe(true)
    expect(parseNpmManifest('{"name":"x"}', 'p')).toEqual([])
    expect(parseNpmManifest('not json', 'p')).toEqual([])
    expect(parseNpmManifest('{"name":"@s/x","version":"1.0.0-rc.1"}', 'p')[0].purl).toBe(
      'pkg:npm/%40s/x@1.0.0-rc.1'
    )
  })

  it('reads Name and Version from METADATA headers only, and normalizes the purl name', () => {
    const meta = 'Metadata-Version: 2.1\nName: Flask_SQLAlchemy\nVersion: 3.1.1\n\nName: not-this\n'
    expect(parsePythonMetadata(meta, 'x')).toEqual([
      {
        type: 'pypi',
        name: 'Flask_SQLAlchemy',
        version: '3.1.1',
        ecosystem: 'PyPI',
        purl: 'pkg:pypi/flask-sqlalchemy@3.1.1',
        path: 'x'
      }
    ])
    expect(pythonAnalyzer.match('usr/lib/python3/dist-packages/six-1.16.0.dist-info/METADATA')).toBe(true)
    expect(pythonAnalyzer.match('usr/lib/python3/dist-packages/six-1.16.0.egg-info/PKG-INFO')).toBe(true)
    expect(pythonAnalyzer.match('usr/lib/python3/dist-packages/six-1.16.0.egg-info')).toBe(true)
    expect(pythonAnalyzer.match('usr/lib/python3/dist-packages/six-1.16.0.dist-info/RECORD')).toBe(false)
  })
})

describe('Java', () => {
  it('reads pom.properties from a jar and from jars nested in it, ignoring other properties files', () => {
    const inner = makeZip([
      { name: 'x', data: '' },
      {
        name: 'META-INF/maven/org.yaml/snakeyaml/pom.properties',
        data: 'groupId=org.yaml\nartifactId=snakeyaml\nversion=1.33\n'
      }
    ])
    const jar = makeZip([
      { name: 'BOOT-INF/lib/snakeyaml-1.33.jar', data: inner },
      {
        name: 'META-INF/maven/com.example/app/pom.properties',
        data: '# c\ngroupId = com.example\nartifactId = app\nversion = 0.1.0\n'
      },
      {
        name: 'META-INF/maven/com.example/app/other.properties',
        data: 'groupId=no\nartifactId=no\nversion=1\n'
      }
    ])
    expect(parseJar(jar, 'srv/app.jar').map((p) => `${p.name}@${p.version} ${p.purl} ${p.path}`)).toEqual([
      'org.yaml:snakeyaml@1.33 pkg:maven/org.yaml/snakeyaml@1.33 srv/app.jar!/BOOT-INF/lib/snakeyaml-1.33.jar',
      'com.example:app@0.1.0 pkg:maven/com.example/app@0.1.0 srv/app.jar'
    ])
    expect(parseJar(Buffer.from('not a zip at all, really'), 'x.jar')).toEqual([])
  })
})

describe('Go build info', () => {
  const modinfo =
    'path\tgithub.com/a/cmd\nmod\tgithub.com/a\tv0.3.1\th1:x=\ndep\tgolang.org/x/text\tv0.3.7\th1:y=\nbuild\tGOOS=linux\n'

  it('parses the Go 1.18+ inline format: stdlib, main module and dependencies', () => {
    const elf = makeGoElf('go1.22.1 X:boringcrypto', modinfo)
    const at = elf.indexOf(Buffer.from('\xff Go buildinf:', 'latin1'))
    const info = parseBuildInfo(elf.subarray(at))
    expect(info).toEqual({
      goVersion: 'go1.22.1 X:boringcrypto',
      path: 'github.com/a/cmd',
      main: { path: 'github.com/a', version: 'v0.3.1' },
      deps: [{ path: 'golang.org/x/text', version: 'v0.3.7' }]
    })
    // The pre-1.18 pointer format (flags bit 1 clear) is not read.
    const old = Buffer.from(elf.subarray(at))
    old[15] = 0
    expect(parseBuildInfo(old)).toBeUndefined()
  })

  it('finds the build info in a stream cut into chunks at every possible boundary', () => {
    const elf = makeGoElf('go1.21.5', modinfo)
    const at = elf.indexOf(Buffer.from('\xff Go buildinf:', 'latin1'))
    for (const cut of [1, 3, at - 5, at, at + 7, at + 14, at + 40]) {
      const found: RawPackage[][] = []
      const sink = new GoBuildInfoSink('usr/bin/app', (p) => found.push(p))
      sink.write(elf.subarray(0, cut))
      sink.write(elf.subarray(cut))
      sink.end()
      expect(found.map((ps) => ps.map((p) => `${p.name}@${p.version}`))).toEqual([
        ['stdlib@1.21.5', 'github.com/a@v0.3.1', 'golang.org/x/text@v0.3.7']
      ])
    }
    const none: RawPackage[][] = []
    const text = new GoBuildInfoSink('x', (p) => none.push(p))
    text.write(Buffer.from('#!/bin/sh\necho \xff Go buildinf: nope\n', 'latin1'))
    text.end()
    expect(none).toEqual([])
  })
})

describe('purl', () => {
  it('encodes names, versions and sorted qualifiers per the purl spec', () => {
    expect(purl('deb', 'debian', 'libstdc++6', '12.2.0-14', { distro: 'debian-12', arch: 'amd64' })).toBe(
      'pkg:deb/debian/libstdc%2B%2B6@12.2.0-14?arch=amd64&distro=debian-12'
    )
    expect(purl('deb', 'debian', 'tzdata', '1:2024a', {})).toBe('pkg:deb/debian/tzdata@1:2024a')
  })
})
