/**
 * The image scan: one streaming pass over a `docker save` archive gives the inventory (OS, packages, layers,
 * config) and the findings that come from the image itself (secrets and risky configuration).
 */
import type { DockerfileModel } from '../dockerfile/parse.js'
import type { Finding, LayerRef } from '../findings.js'
import { attributeLayers } from './attribution.js'
import { checkConfig } from './config-checks.js'
import { readImageArchive } from './image/archive.js'
import { newBudget } from './image/record.js'
import {
  deletedAfter,
  finalDatabases,
  finalOsFiles,
  finalPackages,
  finalSetuid,
  finalSkipped,
  finalWorldWritable
} from './image/view.js'
import { FILE_ANALYZERS, toInventoryPackage } from './inventory/index.js'
import { detectOs } from './os.js'
import { secretFinding } from './secrets.js'
import type { ImageLayer, InventoryPackage, ScanResult } from './types.js'

export interface ScanOptions {
  /** The Dockerfile the image was built from, to attribute layers to its lines. */
  model?: DockerfileModel
  /** The Dockerfile path as the user gave it, for locations (defaults to the model's path). */
  dockerfilePath?: string
  /**
   * The largest file an analyzer reads into memory (default 32 MiB); larger ones are skipped with a warning.
   * Package databases have their own limits (rpm 256 MiB, dpkg and apk 64 MiB); Java archives and executables
   * stream and have none.
   */
  maxFileBytes?: number
  /** The most a single layer may decompress to (default 64 GiB); a layer beyond it fails the scan. */
  maxLayerBytes?: number
  /**
   * The most paths (package files, whiteouts, directories, setuid files) recorded across the image (default
   * 500,000), so that an archive with millions of entries cannot exhaust memory; beyond it a warning says so.
   */
  maxRecords?: number
  /** The build arguments of the build: their values are redacted from the image history. */
  buildArgs?: Record<string, string>
  /** The stage that was built (`--target`), for attribution and the config checks; default the last stage. */
  target?: string
}

const TYPE_ORDER = [
  'deb',
  'apk',
  'rpm',
  'golang',
  'cargo',
  'maven',
  'npm',
  'pypi',
  'gem',
  'composer',
  'nuget'
]

function layerRef(l: ImageLayer): LayerRef {
  const r: LayerRef = { digest: l.digest, inherited: l.inherited }
  if (l.createdBy) r.createdBy = l.createdBy
  return r
}

/** Scans an image from its `docker save` stream (`GET /images/{name}/get`). */
export async function scanImageStream(
  stream: NodeJS.ReadableStream,
  options: ScanOptions = {}
): Promise<ScanResult> {
  const budget = newBudget(options.maxFileBytes)
  if (options.maxRecords !== undefined) budget.maxRecords = options.maxRecords
  const archive = await readImageArchive(stream, {
    analyzers: FILE_ANALYZERS,
    budget,
    maxLayerBytes: options.maxLayerBytes ?? 64 * 1024 ** 3,
    ...(options.buildArgs ? { buildArgs: options.buildArgs } : {})
  })
  const records = archive.layers.map((l) => l.record)
  const layers = attributeLayers(
    archive.layers.map((l) => l.digest),
    archive.history,
    options.model,
    options.dockerfilePath,
    options.target
  )
  const os = detectOs(finalOsFiles(records))

  const packages: InventoryPackage[] = finalPackages(records, FILE_ANALYZERS).map((v) =>
    toInventoryPackage(v.pkg, os, layers[v.layer])
  )
  packages.sort(
    (a, b) =>
      TYPE_ORDER.indexOf(a.type) - TYPE_ORDER.indexOf(b.type) ||
      a.name.localeCompare(b.name) ||
      a.version.localeCompare(b.version) ||
      (a.path ?? '').localeCompare(b.path ?? '')
  )

  const findings: Finding[] = []
  records.forEach((r, i) => {
    for (const hit of r.secrets) {
      findings.push(
        secretFinding(hit, layerRef(layers[i]), deletedAfter(records, i, hit.path), layers[i].location)
      )
    }
  })
  const configFindings = checkConfig({
    config: archive.config,
    // Without the Dockerfile no layer is known to be this image's own: setuid files cannot be attributed.
    setuid: (options.model ? finalSetuid(records) : []).map((s) => ({
      path: s.path,
      mode: s.mode,
      layer: layers[s.layer]
    })),
    worldWritable: finalWorldWritable(records).map((d) => ({
      path: d.path,
      mode: d.mode,
      layer: layers[d.layer]
    })),
    ...(options.model ? { model: options.model } : {}),
    ...(options.dockerfilePath ? { dockerfilePath: options.dockerfilePath } : {}),
    ...(options.target ? { target: options.target } : {})
  })
  for (const f of configFindings) findings.push(f)

  const result: ScanResult = {
    inventory: { packages, layers, config: archive.config },
    findings
  }
  if (os) result.inventory.os = os
  result.inventory.databases = finalDatabases(records, FILE_ANALYZERS)
  result.inventory.skipped = finalSkipped(records, FILE_ANALYZERS)
  if (budget.warnings.size > 0) result.warnings = [...budget.warnings]
  return result
}

export type { ScanResult, Inventory, InventoryPackage, ImageLayer, OsInfo } from './types.js'
