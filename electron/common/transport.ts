/**
 * How the contract travels, besides Electron IPC (whose event channel is in
 * ./events). `abuse-desk serve` and renderer/lib/http-client.ts agree on these.
 */

/** `POST ${HTTP_API_PREFIX}<channel>` with the JSON request (Content-Type application/json); the reply is the JSON Result. */
export const HTTP_API_PREFIX = '/api/';
/** `POST /api/upload?name=<file name>` with the raw file as the body; the reply is a Result<EvidenceRef>. */
export const HTTP_UPLOAD_PATH = '/api/upload';
/** `GET ${HTTP_DOWNLOAD_PREFIX}<id>`: a case bundle `cases:export` wrote (the reply's `download`). */
export const HTTP_DOWNLOAD_PREFIX = '/api/download/';
/** Server-Sent Events: one `EventMessage` as JSON per `data:` line. */
export const HTTP_EVENTS_PATH = '/api/events';
/** The access token travels as this query parameter or header (or the cookie set on the first page load). */
export const TOKEN_PARAM = 'token';
export const TOKEN_HEADER = 'x-abuse-desk-token';
