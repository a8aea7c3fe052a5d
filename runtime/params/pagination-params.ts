/**
 * The `limit` and `offset` parameters a paginated endpoint accepts, as ordinary
 * parameter specs so they are validated and defaulted like any other.
 */
import type { ParamSpec, ServerSettings } from '../manifest.js';

export function paginationParams(server: Pick<ServerSettings, 'defaultLimit' | 'maxLimit'>): ParamSpec[] {
  return [
    {
      name: 'limit',
      in: 'query',
      required: false,
      description: `Rows per page (at most ${server.maxLimit}).`,
      default: server.defaultLimit,
      validators: [{ type: 'int', min: 1, max: server.maxLimit }],
    },
    {
      name: 'offset',
      in: 'query',
      required: false,
      description: 'Rows to skip.',
      default: 0,
      validators: [{ type: 'int', min: 0 }],
    },
  ];
}
