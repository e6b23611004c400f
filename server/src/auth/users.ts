/** Organizer accounts. Other features ask this module; they never read its keys. */
import { uuidv7 } from 'uuidv7';
import { PREFIX, type Redis } from '../store/redis.ts';
import { hashPassword } from './passwords.ts';

export interface Organizer {
  id: string;
  email: string;
  name: string;
  passwordHash: string;
  createdAt: string;
}

const key = (id: string) => `${PREFIX}organizer:${id}`;
const emailKey = (email: string) => `${PREFIX}organizer-by-email:${email.toLowerCase()}`;

export class OrganizerStore {
  private readonly redis: Redis;
  constructor(redis: Redis) {
    this.redis = redis;
  }

  /** Creates an account; returns null when the email is already registered. */
  async create(email: string, name: string, password: string): Promise<Organizer | null> {
    const user: Organizer = {
      id: uuidv7(),
      email: email.toLowerCase(),
      name,
      passwordHash: await hashPassword(password),
      createdAt: new Date().toISOString(),
    };
    const claimed = await this.redis.set(emailKey(user.email), user.id, { condition: 'NX' });
    if (claimed !== 'OK') return null;
    await this.redis.set(key(user.id), JSON.stringify(user));
    return user;
  }

  async get(id: string): Promise<Organizer | null> {
    const raw = await this.redis.get(key(id));
    return raw ? (JSON.parse(raw) as Organizer) : null;
  }

  async getByEmail(email: string): Promise<Organizer | null> {
    const id = await this.redis.get(emailKey(email));
    return id ? this.get(id) : null;
  }

  async setPassword(id: string, password: string): Promise<void> {
    const user = await this.get(id);
    if (!user) return;
    user.passwordHash = await hashPassword(password);
    await this.redis.set(key(id), JSON.stringify(user));
  }
}
