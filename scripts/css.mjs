// Shared by the build and by the app, which compiles the CSS on boot when it is missing.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import * as sass from 'sass'

const root = new URL('..', import.meta.url).pathname

export const cssPath = join(root, 'dist', 'assets', 'app.css')

export function buildCss() {
  const result = sass.compile(join(root, 'src', 'assets', 'scss', 'app.scss'), {
    importers: [new sass.NodePackageImporter(root)],
    style: 'compressed',
    quietDeps: true,
  })
  mkdirSync(dirname(cssPath), { recursive: true })
  // Write then rename so parallel test processes never read a half-written file.
  const tmp = `${cssPath}.${process.pid}.tmp`
  writeFileSync(tmp, result.css)
  renameSync(tmp, cssPath)
  return { path: cssPath, bytes: result.css.length }
}
