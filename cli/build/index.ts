export { buildProject, type BuildOptions, type BuildResult } from './build-project.js';
export { generateFiles, type GenerateInput } from './generate-files.js';
export { vendoredRuntime, VENDOR_DIR, type VendoredRuntime } from './vendor-runtime.js';
