declare const __SECURE_IMAGE_VERSION__: string | undefined

/** The tool's version: injected by the bundler, read from package.json when run from source (tests). */
export const VERSION: string =
  typeof __SECURE_IMAGE_VERSION__ === 'string'
    ? __SECURE_IMAGE_VERSION__
    : (process.env.npm_package_version ?? '0.0.0-dev')
