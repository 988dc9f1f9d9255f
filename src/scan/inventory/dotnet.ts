/**
 * .NET: the `<app>.deps.json` the .NET SDK writes beside every built application, whose `libraries` lists
 * each dependency as `Name/Version` with its type. NuGet packages (`"type": "package"`) are listed; the
 * application's own projects and reference assemblies are not packages anyone publishes advisories for.
 */
import { purl, type FileAnalyzer, type RawPackage } from './types.js'

export function parseDepsJson(text: string, path: string): RawPackage[] {
  const json = JSON.parse(text) as { libraries?: Record<string, { type?: unknown }> }
  if (!json || typeof json !== 'object' || typeof json.libraries !== 'object' || json.libraries === null) {
    throw new Error('the deps.json has no "libraries" object')
  }
  const out: RawPackage[] = []
  for (const [key, lib] of Object.entries(json.libraries)) {
    if (lib?.type !== 'package') continue
    const slash = key.lastIndexOf('/')
    if (slash <= 0 || slash === key.length - 1) continue
    const name = key.slice(0, slash)
    const version = key.slice(slash + 1)
    out.push({
      type: 'nuget',
      name,
      version,
      ecosystem: 'NuGet',
      purl: purl('nuget', undefined, name, version),
      path
    })
  }
  return out
}

export const dotnetAnalyzer: FileAnalyzer = {
  id: 'dotnet',
  match: (path) => /[^/]\.deps\.json$/.test(path),
  maxBytes: 16 * 1024 * 1024,
  parse: (path, data) => parseDepsJson(data.toString('utf8'), path)
}
