/** The SBOM: CycloneDX 1.6 JSON of the image's inventory, every component with its purl and layer. */
import * as CDX from '@cyclonedx/cyclonedx-library'
import { VERSION } from '../version.js'
import type { Inventory } from './types.js'

const PROP = 'secure-image'

function imageName(ref: string): string {
  return ref.replace(/@sha256:[a-f0-9]+$/, '')
}

/**
 * The purl of an image by digest (purl-spec `oci` type): `pkg:oci/<last name component>@sha256%3A…`, with the
 * repository it was pushed to as `repository_url` (without tag), e.g.
 * `pkg:oci/app@sha256%3Aab…?repository_url=ghcr.io/acme/app`.
 */
export function ociPurl(ref: string, digest: string): string {
  const repo = imageName(ref).replace(/:[^/:]+$/, '')
  const name = repo.split('/').pop() ?? repo
  const qualifiers = repo.includes('/')
    ? `?repository_url=${encodeURIComponent(repo).replace(/%2F/g, '/')}`
    : ''
  return `pkg:oci/${encodeURIComponent(name)}@${encodeURIComponent(digest)}${qualifiers}`
}

/**
 * CycloneDX 1.6 JSON for an image: a `container` metadata component for the image, an `operating-system`
 * component when the OS is known, and a `library` component with its purl for every package.
 */
export function toCycloneDx(
  inventory: Inventory,
  image: { ref: string; id: string; digest?: string }
): string {
  const bom = new CDX.Models.Bom()
  bom.metadata.timestamp = new Date()
  bom.metadata.tools.components.add(
    new CDX.Models.Component(CDX.Enums.ComponentType.Application, 'secure-image', { version: VERSION })
  )
  const name = imageName(image.ref)
  const main = new CDX.Models.Component(CDX.Enums.ComponentType.Container, name, {
    version: image.digest ?? image.id,
    bomRef: `image:${image.id}`
  })
  main.properties.add(new CDX.Models.Property(`${PROP}:image:id`, image.id))
  if (image.digest) {
    main.properties.add(new CDX.Models.Property(`${PROP}:image:digest`, image.digest))
    main.purl = ociPurl(name, image.digest)
  }
  main.properties.add(new CDX.Models.Property(`${PROP}:image:ref`, image.ref))
  bom.metadata.component = main

  if (inventory.os) {
    const os = new CDX.Models.Component(CDX.Enums.ComponentType.OperatingSystem, inventory.os.id, {
      bomRef: `os:${inventory.os.id}`
    })
    if (inventory.os.versionId) os.version = inventory.os.versionId
    if (inventory.os.prettyName) os.description = inventory.os.prettyName
    bom.components.add(os)
  }

  const refs = new Set<string>()
  for (const p of inventory.packages) {
    const purl = p.purl ?? `pkg:generic/${encodeURIComponent(p.name)}@${encodeURIComponent(p.version)}`
    let ref = `${purl}#${p.path ?? ''}`
    for (let n = 2; refs.has(ref); n++) ref = `${purl}#${p.path ?? ''}#${n}`
    refs.add(ref)
    const c = new CDX.Models.Component(CDX.Enums.ComponentType.Library, p.name, {
      version: p.version,
      bomRef: ref
    })
    c.purl = purl
    const props: [string, string | undefined][] = [
      [`${PROP}:package:type`, p.type],
      [`${PROP}:package:ecosystem`, p.ecosystem],
      [`${PROP}:package:source`, p.source],
      [`${PROP}:package:source-version`, p.sourceVersion],
      [`${PROP}:package:path`, p.path],
      [`${PROP}:layer:digest`, p.layer?.digest],
      [`${PROP}:layer:inherited`, p.layer ? String(p.layer.inherited ?? false) : undefined]
    ]
    for (const [k, v] of props) if (v) c.properties.add(new CDX.Models.Property(k, v))
    bom.components.add(c)
  }
  const serializer = new CDX.Serialize.JsonSerializer(
    new CDX.Serialize.JSON.Normalize.Factory(CDX.Spec.Spec1dot6)
  )
  return serializer.serialize(bom, { sortLists: true, space: 2 })
}
