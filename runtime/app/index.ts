export { createApp, type CreateAppOptions, type FlapiApp } from './create-app.js';
export { startServer, type StartServerOptions } from './start-server.js';
export { serveApp, type HttpServerHandle, type ListenOptions } from './http-server.js';
export { createEndpointHandler, RESERVED_QUERY_KEYS, type HandlerContext } from './endpoint-handler.js';
export { ClientError, ValidationFailed } from './http-errors.js';
export { createJsonLogger, silentLogger, type Logger, type LogFields, type LogLevel } from './logger.js';
export { requestIdOf } from './request-id.js';
