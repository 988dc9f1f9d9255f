/** The inventory analyzers, and the final packages with their ecosystem, purl and the layer that added them. */
import type { FileAnalyzer, RawPackage, StreamAnalyzer } from './types.js'
import { dpkgAnalyzer } from './dpkg.js'
import { apkAnalyzer } from './apk.js'
import { npmAnalyzer } from './npm.js'
import { pythonAnalyzer } from './python.js'
import { javaAnalyzer } from './java.js'
import { rpmAnalyzer } from './rpm.js'
import { gemAnalyzer } from './gem.js'
import { composerAnalyzer } from './composer.js'
import { dotnetAnalyzer } from './dotnet.js'
import { rustAnalyzer } from './rust.js'
import { purl } from './types.js'
import { osPurlParts } from '../os.js'
import type { ImageLayer, InventoryPackage, OsInfo } from '../types.js'

/** Every whole-file analyzer: files small enough to hold (databases, manifests). */
export const FILE_ANALYZERS: FileAnalyzer[] = [
  dpkgAnalyzer,
  apkAnalyzer,
  rpmAnalyzer,
  npmAnalyzer,
  pythonAnalyzer,
  gemAnalyzer,
  composerAnalyzer,
  dotnetAnalyzer
]

/** Analyzers of files of any size, read as they stream (Go binaries have their own sink in the image reader). */
export const STREAM_ANALYZERS: StreamAnalyzer[] = [javaAnalyzer, rustAnalyzer]

export type { FileAnalyzer, RawPackage, StreamAnalyzer } from './types.js'

/** Turns a package found in the image into an inventory package of the given layer. */
export function toInventoryPackage(
  raw: RawPackage,
  os: OsInfo | undefined,
  layer: ImageLayer | undefined
): InventoryPackage {
  const pkg: InventoryPackage = {
    type: raw.type,
    name: raw.name,
    version: raw.version,
    ecosystem: raw.ecosystem ?? os?.ecosystem ?? (os ? os.id : 'unknown'),
    path: '/' + raw.path
  }
  if (raw.source) pkg.source = raw.source
  if (raw.sourceVersion) pkg.sourceVersion = raw.sourceVersion
  if (raw.purl) {
    pkg.purl = raw.purl
  } else if (raw.type === 'deb' || raw.type === 'apk' || raw.type === 'rpm') {
    const { namespace, distro } = osPurlParts(os)
    const q: Record<string, string | undefined> = { arch: raw.arch, distro }
    let version = raw.version
    if (raw.type === 'deb' && raw.source && raw.source !== raw.name) q.upstream = raw.source
    if (raw.type === 'rpm') {
      // The purl of an rpm carries its epoch as a qualifier, not in the version.
      const m = /^(\d+):(.*)$/.exec(version)
      if (m) {
        q.epoch = m[1]
        version = m[2]
      }
      // The source rpm's file name has no epoch.
      if (raw.source) q.upstream = `${raw.source}-${(raw.sourceVersion ?? '').replace(/^\d+:/, '')}.src.rpm`
    }
    pkg.purl = purl(raw.type, namespace, raw.name, version, q)
  }
  if (layer) {
    pkg.layer = { digest: layer.digest, inherited: layer.inherited }
    if (layer.createdBy) pkg.layer.createdBy = layer.createdBy
    if (layer.location) pkg.location = layer.location
  }
  return pkg
}
