import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ locals, cookies }) => ({
  viewerZone: locals.viewerZone,
  zoneKnown: cookies.get('tz') === locals.viewerZone,
  renderedAt: Date.now(),
});
