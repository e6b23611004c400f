import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { OrganizerStore } from '../auth/users.ts';
import type { Redis } from '../store/redis.ts';

export const DEMO_ORGANIZER_EMAIL = 'organizer@colloquy.example';

/**
 * The demo organizer: created once with a random password kept in DATA_DIR (mode 0600), so the
 * start-up can print the login without any password living in the repository.
 */
export async function ensureDemoOrganizer(
  redis: Redis,
  dataDir: string,
): Promise<{ email: string; password: string } | null> {
  const file = path.join(dataDir, 'demo-organizer.json');
  const organizers = new OrganizerStore(redis);
  let saved: { email: string; password: string } | null;
  try {
    saved = JSON.parse(fs.readFileSync(file, 'utf8')) as { email: string; password: string };
  } catch {
    saved = null;
  }
  if (saved && (await organizers.getByEmail(saved.email))) return saved;
  if (await organizers.getByEmail(DEMO_ORGANIZER_EMAIL)) return null; // exists, password unknown to us
  const login = { email: DEMO_ORGANIZER_EMAIL, password: crypto.randomBytes(12).toString('base64url') };
  await organizers.create(login.email, 'Demo Organizer', login.password);
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(file, JSON.stringify(login), { mode: 0o600 });
  return login;
}
