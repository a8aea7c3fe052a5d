export { docsRoutes, requestServerUrl, type DocsRoutesOptions } from './docs-routes.js';
export { docsAssets, type StaticAsset } from './docs-assets.js';
