/**
 * GET /api/search?q=&series=&speaker=&year=&page=   SearchResponse (zod-validated query)
 * GET /api/search/status                            SearchIndexStatus
 */
import { SearchQuery } from '@colloquy/shared';
import { parseOrThrow } from '../../http/errors.ts';
import type { GuardedRouter } from '../../http/guard.ts';
import type { SearchService } from './search.ts';

export function searchRoutes(api: GuardedRouter, search: SearchService): void {
  api.route('get', '/search', 'search:read', (req, res) => {
    const query = parseOrThrow(SearchQuery, req.query, 'search');
    res.json(search.search(query));
  });
  api.route('get', '/search/status', 'search:read', (_req, res) => {
    res.json(search.status());
  });
}
