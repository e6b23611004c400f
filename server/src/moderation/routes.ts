/** `/api/admin/moderation/words`: organizers read and edit the site's word filter. */
import { FilterWord, FilterWordInput, type FilterWords } from '@colloquy/shared';
import { LIMITS_CHAT } from '@colloquy/shared';
import type { Auth } from '../auth/services.ts';
import { AppError, parseOrThrow } from '../http/errors.ts';
import type { GuardedRouter } from '../http/guard.ts';
import type { Moderation } from './moderation.ts';

export function wordFilterRoutes(r: GuardedRouter, d: { auth: Auth; moderation: Moderation }): void {
  const A = 'moderation:words' as const;
  const { words } = d.moderation;

  r.route('get', '/admin/moderation/words', A, async (_req, res) => {
    res.json({ words: await words.list() } satisfies FilterWords);
  });

  r.route('post', '/admin/moderation/words', A, async (req, res, g) => {
    const { word } = parseOrThrow(FilterWordInput, req.body, 'word');
    await d.auth.limits.catalogueWrite(g.principal!.userId);
    if ((await words.list()).length >= LIMITS_CHAT.filterMaxWords) {
      throw new AppError('conflict', `The filter holds at most ${LIMITS_CHAT.filterMaxWords} words`);
    }
    const added = await words.add(word);
    res.status(added ? 201 : 200).json({ words: await words.list() } satisfies FilterWords);
  });

  r.route('delete', '/admin/moderation/words/:word', A, async (req, res, g) => {
    const word = FilterWord.safeParse(req.params.word);
    if (!word.success) throw new AppError('not_found', 'That word is not in the filter');
    await d.auth.limits.catalogueWrite(g.principal!.userId);
    if (!(await words.remove(word.data))) throw new AppError('not_found', 'That word is not in the filter');
    res.status(204).end();
  });
}
