/** Build options for tests that build through the engine seam: the defaults, a context and a tag. */
import { join } from 'node:path'
import type { BuildOptions } from '../../src/docker/engine.js'

export function buildOptions(
  contextDir: string,
  tag: string,
  over: Partial<BuildOptions> = {}
): BuildOptions {
  return {
    contextDir,
    dockerfile: join(contextDir, 'Dockerfile'),
    tags: [tag],
    buildArgs: {},
    labels: {},
    noCache: false,
    pull: false,
    cacheFrom: [],
    builder: 'auto',
    ...over
  }
}
