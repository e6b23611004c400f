/**
 * Form handling for form actions: reading fields from FormData, turning the API's validation
 * issues into messages beside the fields, and the shape every failed action returns (what the
 * person typed, so nothing is lost, plus the messages).
 */
import { fail } from '@sveltejs/kit';
import type { ApiErrorBody } from '@colloquy/shared';

/** Field name → message. */
export type FieldErrors = Record<string, string>;

/** Field name → what was typed. */
export type FormValues = Record<string, string>;

/** What a failed action returns to its page. `form` tells apart several forms on one page. */
export interface FormFailure<V = FormValues> {
  form?: string;
  values: V;
  errors: FieldErrors;
  /** One sentence for the error summary when the problem is not about one field. */
  message?: string;
}

/** An action's failure: the status, what was typed and the messages. */
export function failWith<V>(status: number, failure: FormFailure<V>) {
  return fail(status, failure);
}

/** A text field's value; '' when missing (or when someone sent a file in its place). */
export function field(data: FormData, name: string): string {
  const value = data.get(name);
  return typeof value === 'string' ? value : '';
}

/** Every value of a repeated field (checkboxes), text only. */
export function fields(data: FormData, name: string): string[] {
  return data.getAll(name).filter((v): v is string => typeof v === 'string');
}

/** The text of each named field (missing fields are empty strings). */
export function textFields(data: FormData, names: readonly string[]): FormValues {
  return Object.fromEntries(names.map((name) => [name, field(data, name)]));
}

/** Rate limits as a person reads them (organizer pages). */
export function retryText(err: ApiErrorBody): string {
  const seconds = retrySeconds(err);
  return `Too many attempts, try again in ${seconds} ${seconds === 1 ? 'second' : 'seconds'}.`;
}

const retrySeconds = (err: ApiErrorBody) => Math.max(1, Math.ceil((err.retryAfterMs ?? 60_000) / 1000));

/**
 * The API's error as messages on an organizer form's fields. `paths` maps the API's field names
 * (issues[].path[0]) to the form's; `messages` replaces the API's wording for a field when we
 * know a clearer one. Issues on no known field go into the summary message.
 */
export function errorsFromApi(
  err: ApiErrorBody,
  opts: { paths?: Record<string, string>; messages?: Record<string, string>; thing?: string } = {},
): { errors: FieldErrors; message?: string } {
  const errors: FieldErrors = {};
  const loose: string[] = [];
  if (err.code === 'rate_limited') return { errors, message: retryText(err) };
  for (const issue of err.issues ?? []) {
    const apiField = String(issue.path[0] ?? '');
    const name = opts.paths?.[apiField] ?? apiField;
    if (!name) {
      loose.push(issue.message);
      continue;
    }
    if (errors[name]) continue;
    if (err.code === 'conflict' && apiField === 'slug') {
      errors[name] = `Another ${opts.thing ?? 'record'} already uses this web address. Choose another.`;
    } else {
      errors[name] = opts.messages?.[apiField] ?? sentence(issue.message);
    }
  }
  const hasFieldErrors = Object.keys(errors).length > 0;
  if (!hasFieldErrors || loose.length > 0) {
    return { errors, message: loose.length > 0 ? loose.map(sentence).join(' ') : sentence(err.message) };
  }
  return { errors };
}

/** "use lowercase letters" → "Use lowercase letters." */
function sentence(text: string): string {
  const t = text.trim();
  if (!t) return 'Something went wrong.';
  return t[0]!.toUpperCase() + t.slice(1) + (/[.!?]$/.test(t) ? '' : '.');
}

/** Said when the API cannot be reached or fails on its side (audience and invite pages). */
export const NOT_REACHABLE = 'The server is not reachable right now. Please try again in a moment.';

/**
 * The audience and invite pages' wording: our own sentence for each field we show (the API's
 * wording is for developers), and issues on other fields left out. The summary message is only
 * for problems that are not about one field.
 */
export function publicErrors(
  err: ApiErrorBody,
  wording: Record<string, string>,
): { errors: FieldErrors; message: string } {
  const errors: FieldErrors = {};
  for (const issue of err.issues ?? []) {
    const name = issue.path[0];
    if (typeof name === 'string' && wording[name] && !errors[name]) errors[name] = wording[name];
  }
  return { errors, message: Object.keys(errors).length > 0 ? '' : formMessage(err) };
}

/** A sentence for the top of an audience or invite form, from an API error that is not about one field. */
export function formMessage(err: ApiErrorBody): string {
  if (err.code === 'rate_limited') {
    return `Too many attempts from your network. Please wait ${retrySeconds(err)} seconds and try again.`;
  }
  if (err.code === 'validation_failed') return 'Some answers need another look. Check the fields marked below.';
  if (err.code === 'unavailable' || err.code === 'internal') return NOT_REACHABLE;
  return err.message.endsWith('.') ? err.message : `${err.message}.`;
}
