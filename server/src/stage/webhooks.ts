/**
 * LiveKit webhooks: signature verified (the Authorization JWT carries the body's SHA-256), each
 * event handled once (LiveKit retries, so ids are deduped in Redis). A token cannot be revoked in
 * LiveKit, so a person banned after getting one could rejoin with it: on `participant_joined` we
 * check the ban and remove them again.
 */
import express from 'express';
import { WebhookReceiver, type WebhookEvent } from 'livekit-server-sdk';
import { AppError } from '../http/errors.ts';
import type { GuardedRouter } from '../http/guard.ts';
import type { Logger } from '../log/logger.ts';
import { PREFIX, type Redis } from '../store/redis.ts';
import type { EventRoleStore } from '../auth/roles.ts';
import { eventIdOfRoom } from './tokens.ts';

const DEDUPE_SECONDS = 24 * 3600;

export interface WebhookDeps {
  redis: Redis;
  livekit: { apiKey: string; apiSecret: string };
  roles: EventRoleStore;
  log: Logger;
  endAccess(eventId: string, userId: string): Promise<void>;
  /** The stage's handling (attendance, audience counts, live sessions), once per event id. */
  onEvent?(event: WebhookEvent): Promise<void>;
}

export function livekitWebhookRoute(r: GuardedRouter, d: WebhookDeps): void {
  const receiver = new WebhookReceiver(d.livekit.apiKey, d.livekit.apiSecret);
  const raw = express.raw({ type: () => true, limit: '256kb' });
  r.route(
    'post',
    '/webhooks/livekit',
    'webhook:livekit',
    async (req, res) => {
      const body = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
      let event;
      try {
        event = await receiver.receive(body, req.get('authorization'));
      } catch {
        throw new AppError('unauthorized', 'The webhook signature is not valid');
      }
      const dedupeKey = `${PREFIX}lk-webhook:${event.id}`;
      const first = await d.redis.set(dedupeKey, '1', {
        condition: 'NX',
        expiration: { type: 'EX', value: DEDUPE_SECONDS },
      });
      if (first !== 'OK') {
        res.json({ handled: false, duplicate: true });
        return;
      }
      const eventId = eventIdOfRoom(event.room?.name);
      const identity = event.participant?.identity;
      if (event.event === 'participant_joined' && eventId && identity && (await d.roles.isBanned(eventId, identity))) {
        d.log.info({ eventId }, 'removing a banned participant who rejoined the LiveKit room');
        await d.endAccess(eventId, identity);
      }
      try {
        await d.onEvent?.(event);
      } catch (err) {
        // Let LiveKit's retry in: the stage's handling is idempotent per participant session.
        await d.redis.del(dedupeKey);
        throw err;
      }
      res.json({ handled: true });
    },
    { body: raw },
  );
}
