/**
 * SvelteKit's adapter-node handler reads its settings from the environment when it loads.
 * Express tells it the request's protocol in this header (set on every request, overwriting
 * anything a client sent), so its same-origin check for form posts works over http and https.
 */
export const PROTOCOL_HEADER = 'x-colloquy-proto';

export function prepareWebHandlerEnv(): void {
  process.env.PROTOCOL_HEADER = PROTOCOL_HEADER;
  // Upload forms pass through SvelteKit before the API's own 5 MB photo limit.
  process.env.BODY_SIZE_LIMIT ??= '6M';
}
