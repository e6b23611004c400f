import type { EventStatus, Role } from '@colloquy/shared';

/** What each live panel (Q&A, polls, chat) is given by the page that hosts it. */
export interface LivePanelProps {
  slug: string;
  /** The viewer's role at the event, as the server answered it. */
  role: Role;
  /** The viewer's display name, when they have joined. */
  displayName: string | null;
  status: EventStatus;
}
