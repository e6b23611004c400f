/**
 * `npm run admin:create`: creates an organizer account. Reads ADMIN_EMAIL and ADMIN_PASSWORD,
 * or asks for them on the terminal.
 */
import readline from 'node:readline/promises';
import { DisplayName, Email, Password } from '@colloquy/shared';
import { OrganizerStore } from '../auth/users.ts';
import { redisForCommand } from './redis.ts';
import { fail, say, configOrExit } from './say.ts';

async function ask(question: string): Promise<string> {
  if (!process.stdin.isTTY) return fail('set ADMIN_EMAIL and ADMIN_PASSWORD, or run this in a terminal', 2);
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
  const answer = await rl.question(question);
  rl.close();
  return answer.trim();
}

async function main() {
  const config = configOrExit();
  const email = Email.safeParse(config.admin.email ?? (await ask('Organizer email: ')));
  if (!email.success) return fail('that is not an email address', 2);
  const password = Password.safeParse(config.admin.password ?? (await ask('Password (at least 10 characters): ')));
  if (!password.success) return fail('the password needs at least 10 characters', 2);
  const name = DisplayName.safeParse(email.data.split('@')[0]);
  const { redis, done } = await redisForCommand(config, say);
  const created = await new OrganizerStore(redis).create(
    email.data,
    name.success ? name.data : 'Organizer',
    password.data,
  );
  await done();
  if (!created) return fail(`an organizer with ${email.data} already exists`, 1);
  say(`organizer ${email.data} created; log in at ${config.publicUrl}/login`);
}

main().catch((err: unknown) => fail(err instanceof Error ? (err.stack ?? err.message) : String(err)));
