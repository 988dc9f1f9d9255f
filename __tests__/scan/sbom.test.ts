import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import Ajv from 'ajv'
import addFormats from 'ajv-formats'
import { toCycloneDx } from '../../src/scan/sbom.js'
import type { Inventory } from '../../src/scan/types.js'

const inventory: Inventory = {
  os: { id: 'debian', versionId: '12', prettyName: 'Debian GNU/Linux 12 (bookworm)', ecosystem: 'Debian:12' },
  layers: [],
  config: {},
  packages: [
    {
      type: 'deb',
      name: 'libc6',
      version: '2.36-9+deb12u4',
      ecosystem: 'Debian:12',
      source: 'glibc',
      sourceVersion: '2.36-9+deb12u4',
      purl: 'pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12&upstream=glibc',
      path: '/var/lib/dpkg/status',
      layer: { digest: 'sha256:' + 'a'.repeat(64), inherited: true }
    },
    {
      type: 'npm',
      name: 'lodash',
      version: '4.17.20',
      ecosystem: 'npm',
      purl: 'pkg:npm/lodash@4.17.20',
      path: '/a/node_modules/lodash/package.json'
    },
    {
      type: 'npm',
      name: 'lodash',
      version: '4.17.20',
      ecosystem: 'npm',
      purl: 'pkg:npm/lodash@4.17.20',
      path: '/b/node_modules/lodash/package.json'
    }
  ]
}

const require = createRequire(import.meta.url)
const schemaDir = join(dirname(require.resolve('@cyclonedx/cyclonedx-library/package.json')), 'res', 'schema')

describe('CycloneDX SBOM', () => {
  const json = toCycloneDx(inventory, {
    ref: 'registry.example/app:1.0',
    id: 'sha256:' + 'c'.repeat(64),
    digest: 'sha256:' + 'd'.repeat(64)
  })
  const bom = JSON.parse(json) as {
    bomFormat: string
    specVersion: string
    metadata: { component: { type: string; name: string; version: string; purl?: string } }
    components: {
      type: string
      name: string
      purl?: string
      'bom-ref': string
      properties?: { name: string; value: string }[]
    }[]
  }

  it('is CycloneDX 1.6 with the image as a container metadata component', () => {
    expect(bom.bomFormat).toBe('CycloneDX')
    expect(bom.specVersion).toBe('1.6')
    expect(bom.metadata.component).toMatchObject({
      type: 'container',
      name: 'registry.example/app:1.0',
      version: 'sha256:' + 'd'.repeat(64)
    })
    expect(bom.metadata.component.purl).toBe(
      `pkg:oci/app@sha256%3A${'d'.repeat(64)}?repository_url=registry.example/app`
    )
  })

  it('has every package as a library with its purl and unique bom-refs, plus the OS', () => {
    const libs = bom.components.filter((c) => c.type === 'library')
    expect(libs.map((c) => c.purl).sort()).toEqual(inventory.packages.map((p) => p.purl).sort())
    expect(new Set(bom.components.map((c) => c['bom-ref'])).size).toBe(bom.components.length)
    expect(bom.components.find((c) => c.type === 'operating-system')).toMatchObject({
      name: 'debian',
      version: '12'
    })
    const libc = libs.find((c) => c.name === 'libc6')!
    expect(libc.properties).toEqual(
      expect.arrayContaining([
        { name: 'secure-image:package:source', value: 'glibc' },
        { name: 'secure-image:layer:inherited', value: 'true' }
      ])
    )
  })

  it('validates against the CycloneDX 1.6 JSON schema', () => {
    const load = (f: string): Record<string, unknown> =>
      JSON.parse(readFileSync(join(schemaDir, f), 'utf8')) as Record<string, unknown>
    const ajv = new Ajv.default({ strict: false, validateFormats: true })
    addFormats.default(ajv)
    ajv.addFormat('iri-reference', true)
    ajv.addFormat('idn-email', true)
    // The BOM schema refers to these by file name, relative to its own $id.
    for (const f of ['spdx.SNAPSHOT.schema.json', 'jsf-0.82.SNAPSHOT.schema.json']) {
      const schema = load(f)
      delete schema.$id
      ajv.addSchema(schema, `http://cyclonedx.org/schema/${f}`)
    }
    const validate = ajv.compile(load('bom-1.6.SNAPSHOT.schema.json'))
    const ok = validate(bom)
    expect(validate.errors ?? []).toEqual([])
    expect(ok).toBe(true)
  })
})
