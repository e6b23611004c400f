/** LiveKit access tokens from our server (least grants for the caller's role; see server/src/stage/routes.ts). */
import type { ApiErrorBody, LivekitTokenResponse } from '@colloquy/shared';

export class TokenError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export async function fetchToken(slug: string): Promise<LivekitTokenResponse> {
  let res: Response;
  try {
    res = await fetch(`/api/events/${encodeURIComponent(slug)}/livekit-token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
      credentials: 'same-origin',
    });
  } catch {
    throw new TokenError(0, 'We could not reach the server. Check your connection; we will keep trying.');
  }
  if (res.ok) return (await res.json()) as LivekitTokenResponse;
  let message = 'The stage is not available right now.';
  try {
    const body = (await res.json()) as { error?: ApiErrorBody };
    if (body.error?.message) message = body.error.message;
  } catch {
    // not JSON: keep our words
  }
  throw new TokenError(res.status, message);
}
