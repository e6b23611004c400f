/** Svelte attachments that show a LiveKit track (or a plain MediaStreamTrack) in a media element. */
import type { Track } from 'livekit-client';
import type { Attachment } from 'svelte/attachments';

/** `<video {@attach attachTrack(track)}>`: attached while the element exists, detached after. */
export function attachTrack(track: Track): Attachment<HTMLMediaElement> {
  return (el) => {
    track.attach(el);
    return () => {
      track.detach(el);
    };
  };
}
