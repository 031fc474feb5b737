#!/usr/bin/env node
// Compiles src/assets/scss/app.scss (govuk-frontend without GOV.UK branding) to dist/assets/app.css.
import { buildCss } from './css.mjs'

const { path, bytes } = buildCss()
console.log(`built ${path} (${bytes} bytes)`)
