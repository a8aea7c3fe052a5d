export { createLambdaHandler, LAMBDA_RESPONSE_LIMIT, type LambdaHandler, type LambdaHandlerOptions } from './handler.js';
export { eventRequest, type EventRequest } from './event-request.js';
export { isTextResponse } from './lambda-result.js';
export { lambdaDefaults } from './lambda-defaults.js';
export type {
  ApiGatewayV1Event,
  ApiGatewayV1Result,
  ApiGatewayV2Event,
  ApiGatewayV2Result,
  LambdaContext,
  LambdaHttpEvent,
  LambdaHttpResult,
} from './lambda-events.js';
