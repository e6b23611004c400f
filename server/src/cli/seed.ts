/** `npm run seed`: reloads the demo content. Organizer-made records are never touched. */
import { CatalogueStore } from '../events/store.ts';
import { loadDemo } from '../demo/load.ts';
import { redisForCommand } from './redis.ts';
import { fail, say, configOrExit } from './say.ts';

async function main() {
  const config = configOrExit();
  const { redis, done } = await redisForCommand(config, say);
  const report = await loadDemo(new CatalogueStore(redis));
  say(`demo reloaded: ${report.removed} old demo records removed, ${report.created} created`);
  if (report.skipped.length) say(`kept organizer records that hold demo addresses: ${report.skipped.join(', ')}`);
  // The reloaded past panels have new ids: their archives are made again from the cached media.
  say("the past panels' recordings and transcripts are prepared by `npm start` (a running server within 3 minutes)");
  await done();
}

main().catch((err: unknown) => fail(err instanceof Error ? (err.stack ?? err.message) : String(err)));
