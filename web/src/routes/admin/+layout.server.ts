import { redirect } from '@sveltejs/kit';
import { loginUrl } from '#lib/admin/api.ts';
import type { LayoutServerLoad } from './$types';

/**
 * Only organizers see the organizer area; anyone else signs in first and comes back here.
 * (The API refuses them too: this is for people, the API's checks are the security.)
 */
export const load: LayoutServerLoad = async ({ parent, url }) => {
  const { user } = await parent();
  if (user?.kind !== 'organizer') redirect(303, loginUrl(url));
  return { organizer: user };
};
