export { createApp, type CreateAppOptions, type FlapiApp } from './create-app.js';
export { startServer, type StartServerOptions, type StartedServer } from './start-server.js';
export { serveApp, type HttpServerHandle, type ListenOptions } from './http-server.js';
export { createEndpointHandler, type HandlerOptions } from './endpoint-handler.js';
export { ClientError, ValidationFailed } from './http-errors.js';
export {
  LOG_LEVEL_NAMES, createJsonLogger, createPino, fromPino, logLevelFromEnv, parseLogLevel, silentLogger,
  type Logger, type LogFields, type LogLevel, type PinoLoggerOptions,
} from './logger.js';
export { accessLog, logAccess, type AccessFields } from './access-log.js';
export { QUERY_LOG_OFF, logQuery, queryLogSettings, type QueryLogEntry, type QueryLogSettings } from './query-log.js';
export { requestIdOf } from './request-id.js';
export { applyEnvironment, type Environment } from './apply-environment.js';
export { loadManifest, resolveManifestPaths } from './load-manifest.js';
export { verifyRoutes, routeDifferences, type RouteDescriptor } from './verify-routes.js';
export { closeOnSignal, type CloseOnSignalOptions } from './close-on-signal.js';
