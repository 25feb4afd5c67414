/**
 * The listing editor's "Questions" section: add, change, move and remove one question at a time.
 * The API takes the whole list (PUT /listings/{id}/questions), so each action reads the list, makes
 * its one change and sends it back. Choices are typed one per line, "Français | English".
 */
import { fail, type RequestEvent } from '@sveltejs/kit';
import { MAX_QUESTIONS, QuestionBody, type ListingQuestion, type QuestionKind } from '@tissu/shared';
import { m } from '$lib/paraglide/messages';
import { apiFailure, check, formValues, invalid, str, type FormState } from '$lib/server/forms';
import { requireUser } from '$lib/server/guards';
import { ok } from '$lib/server/api/client';

type Event = RequestEvent<{ id: string; listingId: string }>;
type Sent = Omit<ListingQuestion, 'position' | 'id'> & { id?: string };

/** "Appartement | Apartment" per line; a line without "|" is the same in both languages. */
export function choicesFrom(text: string, kept: ListingQuestion['choices'] = []): { key?: string; labelFr: string; labelEn: string }[] {
  return text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean).map((line, i) => {
    const [fr, en] = line.split('|').map((s) => s.trim());
    // The same line keeps its key, so forms already shown still name the right choice.
    return { ...(kept[i] && { key: kept[i].key }), labelFr: fr ?? '', labelEn: en || fr || '' };
  });
}

export const choicesText = (q: Pick<ListingQuestion, 'choices'>) => q.choices.map((c) => (c.labelEn && c.labelEn !== c.labelFr ? `${c.labelFr} | ${c.labelEn}` : c.labelFr)).join('\n');

const bound = (s: string) => (s.trim() === '' ? null : Number(s.trim().replace(',', '.')));
const sent = (q: ListingQuestion): Sent => ({
  id: q.id, kind: q.kind, labelFr: q.labelFr, labelEn: q.labelEn, helpFr: q.helpFr, helpEn: q.helpEn, required: q.required,
  choices: q.choices, min: q.min, max: q.max,
});

async function current(event: Event): Promise<ListingQuestion[]> {
  const listing = await ok(event.locals.api.GET('/listings/{id}', { params: { path: { id: event.params.listingId } } }));
  return listing.questions ?? [];
}

async function put(event: Event, questions: Sent[]) {
  await ok(event.locals.api.PUT('/listings/{id}/questions', { params: { path: { id: event.params.listingId } }, body: { questions } }));
}

export const questionActions = {
  questionSave: async (event: Event) => {
    requireUser(event);
    const data = await event.request.formData();
    const id = str(data, 'questionId');
    const form = id ? `question-${id}` : 'question-new';
    const values = formValues(data);
    try {
      const list = await current(event);
      const before = list.find((q) => q.id === id);
      const input = {
        ...(before && { id: before.id }),
        kind: str(data, 'kind') as QuestionKind,
        labelFr: str(data, 'labelFr'), labelEn: str(data, 'labelEn'), helpFr: str(data, 'helpFr'), helpEn: str(data, 'helpEn'),
        required: str(data, 'required') === 'on',
        choices: choicesFrom(str(data, 'choices'), before?.choices),
        min: bound(str(data, 'min')), max: bound(str(data, 'max')),
      };
      const checked = check(QuestionBody, input);
      if (!checked.ok) return invalid(checked.errors, values, form);
      if (!before && list.length >= MAX_QUESTIONS) return fail(409, { form, values, message: m.question_too_many({ max: MAX_QUESTIONS }) } satisfies FormState);
      const next = before ? list.map((q) => (q.id === id ? input : sent(q))) : [...list.map(sent), input];
      await put(event, next as Sent[]);
    } catch (e) {
      return apiFailure(event, e, values, { form });
    }
    return { form: 'questions', success: id ? m.question_saved() : m.question_added() } satisfies FormState;
  },

  questionMove: async (event: Event) => {
    requireUser(event);
    const data = await event.request.formData();
    const id = str(data, 'questionId');
    const up = str(data, 'direction') === 'up';
    try {
      const list = (await current(event)).map(sent);
      const i = list.findIndex((q) => q.id === id);
      const j = up ? i - 1 : i + 1;
      if (i >= 0 && j >= 0 && j < list.length) [list[i], list[j]] = [list[j]!, list[i]!];
      await put(event, list);
    } catch (e) {
      return apiFailure(event, e, {}, { form: 'questions' });
    }
    return { form: 'questions', success: m.question_moved() } satisfies FormState;
  },

  questionDelete: async (event: Event) => {
    requireUser(event);
    const data = await event.request.formData();
    const id = str(data, 'questionId');
    try {
      await put(event, (await current(event)).filter((q) => q.id !== id).map(sent));
    } catch (e) {
      return apiFailure(event, e, {}, { form: 'questions' });
    }
    return { form: 'questions', success: m.question_deleted() } satisfies FormState;
  },
};
