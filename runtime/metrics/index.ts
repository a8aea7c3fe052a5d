export { DEFAULT_BUCKETS, Metrics, type MetricsOptions, type PoolStats } from './metrics-registry.js';
export { metricsRoute, requestMetrics, type RequestMetricsOptions } from './metrics-middleware.js';
