import {
  AccessMode,
  InviteToken,
  type AccessSettings,
  type EventDetail,
  type JoinResult,
  type MyRole,
} from '@colloquy/shared';
import { apiGet } from '#lib/api.ts';
import { callApi } from '#lib/forms/api.ts';
import { failWith, formMessage, publicErrors, textFields, type FormValues } from '#lib/forms/forms.ts';
import type { Actions, PageServerLoad } from './$types';

const FIELDS = ['displayName', 'email', 'organization', 'country', 'passcode', 'consent'] as const;

/** Our words for each field the API can find a problem with. */
const WORDING: Record<string, string> = {
  displayName: 'Enter your name as others should see it (up to 120 characters).',
  email: 'Enter an email address like name@example.org.',
  organization: 'Shorten the organization name to 120 characters or fewer.',
  country: 'Choose a country from the list, or leave it empty.',
  consent: 'Tick the box to agree, or we cannot register you.',
  passcode: 'Enter the passcode from your invitation.',
};

/** What the confirmation shows after joining. */
export interface Joined {
  calendarUrl: string;
  personalJoinUrl: string | null;
  viaPersonalLink: boolean;
}

export const load: PageServerLoad = async ({ fetch, params, url }) => {
  const slug = encodeURIComponent(params.slug);
  const [event, access, me] = await Promise.all([
    apiGet<EventDetail>(fetch, `/api/events/${slug}`, 'We could not find that event.'),
    apiGet<AccessSettings>(fetch, `/api/events/${slug}/access`, 'We could not find that event.'),
    callApi<MyRole>(fetch, 'GET', `/api/events/${slug}/role`),
  ]);
  const t = url.searchParams.get('t');
  return {
    event: {
      slug: event.slug,
      title: event.title,
      status: event.status,
      startsAt: event.startsAt,
      endsAt: event.endsAt,
      timeZone: event.timeZone,
    },
    mode: access.mode,
    me: me.ok ? me.data : ({ role: 'visitor', displayName: null } satisfies MyRole),
    /** A personal link's token (checked when used, never on GET); `malformed` when `t` cannot be one. */
    personal: t === null ? null : InviteToken.safeParse(t).success ? { token: t } : { malformed: true as const },
  };
};

export const actions: Actions = {
  join: async ({ fetch, params, request }) => {
    const form = await request.formData();
    const mode = AccessMode.safeParse(form.get('mode'));
    const values = textFields(form, FIELDS);
    // A passcode is not sent back into the page.
    const kept: FormValues = { ...values, passcode: '' };
    if (!mode.success) {
      return failWith(400, { values: kept, errors: {}, message: 'Please reload the page and try again.' });
    }

    const displayName = values.displayName!;
    const body =
      mode.data === 'open'
        ? { mode: mode.data, displayName }
        : mode.data === 'passcode'
          ? { mode: mode.data, displayName, passcode: values.passcode }
          : {
              mode: mode.data,
              displayName,
              email: values.email,
              organization: values.organization,
              // An unknown code goes to the API, which says so for the field.
              country: values.country || null,
              consent: values.consent === 'yes',
            };
    const res = await callApi<JoinResult>(fetch, 'POST', `/api/events/${encodeURIComponent(params.slug)}/join`, body);
    if (res.ok) {
      const joined: Joined = {
        calendarUrl: res.data.calendarUrl,
        personalJoinUrl: res.data.personalJoinUrl ?? null,
        viaPersonalLink: false,
      };
      return { joined };
    }

    const { errors, message } = publicErrors(res.error, WORDING);
    // The API flags a passcode it refuses; a non-empty one was simply not right.
    if (errors.passcode && values.passcode)
      errors.passcode = 'That passcode is not right. Check your invitation and try again.';
    const modeChanged = res.error.issues?.some((i) => i.path[0] === 'mode');
    return failWith(res.status, {
      values: kept,
      errors,
      message: modeChanged
        ? 'The organizers have just changed how people join this event. Please check the form and send it again.'
        : message,
    });
  },

  personal: async ({ fetch, params, request }) => {
    const token = (await request.formData()).get('token');
    const res = await callApi<JoinResult>(
      fetch,
      'POST',
      `/api/events/${encodeURIComponent(params.slug)}/join/personal`,
      {
        token: typeof token === 'string' ? token : '',
      },
    );
    if (res.ok) {
      const joined: Joined = { calendarUrl: res.data.calendarUrl, personalJoinUrl: null, viaPersonalLink: true };
      return { joined };
    }
    const message =
      res.status === 404 || res.status === 400
        ? 'This personal join link is not valid for this event. Check that you copied all of it, or join with your details below.'
        : formMessage(res.error);
    return failWith(res.status === 400 ? 404 : res.status, { values: {}, errors: {}, message });
  },
};
