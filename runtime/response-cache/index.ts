export { createResponseCache, identityOf, type ResponseCache, type ResponseCacheOptions } from './response-cache.js';
export { LruStore, type CachedResponse } from './lru-store.js';
export { etagMatches, strongEtag } from './etag.js';
export { rawAliasKey, formatParam, type KeyParts } from './cache-key.js';
export { cachePolicies, cachePolicy, namesTable, type CachePolicy, type DataLifetime } from './cache-control.js';
