/**
 * The event lifecycle, as other features hear it. The stage feature calls `onLive(eventId)` when
 * it sets an event live and `onEnded(eventId)` when it ends it; recording, polls (closing what is
 * still open) and live captions subscribe. A listener's failure is logged, never thrown back at the
 * caller: going live must not fail because the recorder could not start.
 *
 * Recording also polls the catalogue status every few seconds, so a missed call (or a restart)
 * only delays it.
 */
export interface LifecycleHooks {
  onGreenroom(eventId: string): Promise<void>;
  onLive(eventId: string): Promise<void>;
  onEnded(eventId: string): Promise<void>;
}

export interface LifecycleListener {
  onGreenroom?(eventId: string): void | Promise<void>;
  onLive?(eventId: string): void | Promise<void>;
  onEnded?(eventId: string): void | Promise<void>;
}

export class EventLifecycle implements LifecycleHooks {
  private readonly listeners = new Set<LifecycleListener>();
  private readonly onError: (err: unknown, hook: string, eventId: string) => void;

  constructor(onError: (err: unknown, hook: string, eventId: string) => void = () => {}) {
    this.onError = onError;
  }

  /** Adds a listener; returns a function that removes it. */
  subscribe(listener: LifecycleListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async onGreenroom(eventId: string): Promise<void> {
    await this.emit('onGreenroom', eventId);
  }

  async onLive(eventId: string): Promise<void> {
    await this.emit('onLive', eventId);
  }

  async onEnded(eventId: string): Promise<void> {
    await this.emit('onEnded', eventId);
  }

  private async emit(hook: 'onGreenroom' | 'onLive' | 'onEnded', eventId: string) {
    await Promise.all(
      [...this.listeners].map(async (l) => {
        try {
          await l[hook]?.(eventId);
        } catch (err) {
          this.onError(err, hook, eventId);
        }
      }),
    );
  }
}
