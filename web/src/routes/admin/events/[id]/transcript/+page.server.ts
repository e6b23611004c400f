import { CueEditInput, TRANSCRIPT_LIMITS, type Transcript, type TranscriptEdit } from '@colloquy/shared';
import { loadAdminEvent } from '#lib/admin/admin-event.ts';
import { redirectIfSignedOut } from '#lib/admin/api.ts';
import { callApi } from '#lib/forms/api.ts';
import { fail } from '@sveltejs/kit';
import { formMessage } from '#lib/forms/forms.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, params, url }) => {
  const event = await loadAdminEvent(fetch, url, params.id);
  const base = `/api/events/${encodeURIComponent(event.slug)}/transcript`;
  const [transcript, edits] = await Promise.all([
    callApi<Transcript>(fetch, 'GET', base),
    callApi<{ items: TranscriptEdit[] }>(fetch, 'GET', `${base}/edits`),
  ]);
  if (!transcript.ok) redirectIfSignedOut(transcript, url);
  const editing = url.searchParams.get('edit');
  return {
    event,
    transcript: transcript.ok ? transcript.data : null,
    edits: edits.ok ? edits.data.items : [],
    editing: editing && /^c\d{1,6}$/.test(editing) ? editing : null,
  };
};

interface Failure {
  form: 'upload' | 'edit';
  cueId: string | null;
  values: { text: string };
  errors: Record<string, string>;
  message: string;
  /** An upload's problems, one line each ("Line 6: …"). */
  problems: string[];
}

const failure = (f: Partial<Failure> & Pick<Failure, 'form'>): Failure => ({
  cueId: null,
  values: { text: '' },
  errors: {},
  message: '',
  problems: [],
  ...f,
});

/** The upload's problems as lines people can act on ("Line 6: …"). */
function uploadProblems(issues: { path: (string | number)[]; message: string }[] | undefined): string[] {
  return (issues ?? []).map((i) => (i.path[0] === 'line' ? `Line ${String(i.path[1])}: ${i.message}` : i.message));
}

export const actions: Actions = {
  upload: async ({ fetch, request, url }) => {
    const data = await request.formData();
    const slug = String(data.get('slug') ?? '').slice(0, 100);
    const file = data.get('file');
    if (!(file instanceof File) || file.size === 0) {
      return fail(400, failure({ form: 'upload', errors: { file: 'Choose a WebVTT (.vtt) or SRT (.srt) file.' } }));
    }
    if (file.size > TRANSCRIPT_LIMITS.uploadBytes) {
      return fail(413, failure({ form: 'upload', errors: { file: 'The file is larger than 2 MB.' } }));
    }
    const type = file.type || (file.name.toLowerCase().endsWith('.srt') ? 'application/x-subrip' : 'text/vtt');
    const res = await callApi<{ version: number; format: string; cues: number }>(
      fetch,
      'PUT',
      `/api/events/${encodeURIComponent(slug)}/transcript`,
      new Uint8Array(await file.arrayBuffer()),
      { 'content-type': type },
    );
    if (res.ok) return { uploaded: { name: file.name.slice(0, 200), cues: res.data.cues, format: res.data.format } };
    redirectIfSignedOut(res, url);
    return fail(
      res.status,
      failure({ form: 'upload', errors: { file: res.error.message }, problems: uploadProblems(res.error.issues) }),
    );
  },

  edit: async ({ fetch, request, url }) => {
    const data = await request.formData();
    const slug = String(data.get('slug') ?? '').slice(0, 100);
    const cueId = String(data.get('cueId') ?? '').slice(0, 20);
    const text = String(data.get('text') ?? '');
    const version = Number(data.get('version'));
    const input = CueEditInput.safeParse({
      text,
      version: Number.isInteger(version) && version > 0 ? version : undefined,
    });
    if (!input.success) {
      return fail(
        400,
        failure({
          form: 'edit',
          cueId,
          values: { text },
          errors: { text: `Write the cue's text, at most ${TRANSCRIPT_LIMITS.cueTextMaxLength} characters.` },
        }),
      );
    }
    const res = await callApi<{ version: number; changed: boolean }>(
      fetch,
      'PATCH',
      `/api/events/${encodeURIComponent(slug)}/transcript/cues/${encodeURIComponent(cueId)}`,
      input.data,
    );
    if (res.ok) return { saved: { cueId, changed: res.data.changed } };
    redirectIfSignedOut(res, url);
    const message =
      res.error.code === 'conflict'
        ? 'The transcript changed since this page was loaded (someone else edited it, or it was replaced). Your text is below: reload the cue and save again.'
        : formMessage(res.error);
    return fail(res.status, failure({ form: 'edit', cueId, values: { text }, message }));
  },
};
