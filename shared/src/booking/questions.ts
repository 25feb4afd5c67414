/**
 * Checks a client's answers to a listing's questions, at booking and at a quote request, and turns
 * them into the snapshot a booking keeps.
 *
 * Invariants (shared/src/booking/questions.test.ts checks them, some over random inputs):
 * - ok ⇔ every required question has an answer and every answer given fits its question's kind;
 * - on ok, the snapshot has one entry per answered question, in the questions' order, carrying the
 *   question's labels as they are now; unanswered optional questions are left out;
 * - on failure, `errors` has one field error per question that is wrong, keyed by its id;
 * - an answer to a question the listing no longer asks (a form shown before the co-op removed
 *   it) is ignored, never stored; two answers to one question are an error on that question.
 * Pure: no clock, no I/O; the same input gives the same output.
 */
import { fieldError, type FieldError, type FieldErrors } from '../errors.js';
import {
  ANSWER_MAX_CHARS, NUMBER_LIMIT, type AnswerInput, type AnswerSnapshot, type ListingQuestion,
} from '../schemas/questions.js';

/** What checkAnswers reads of a question (a ListingQuestion has all of it). */
export type QuestionToAnswer = Pick<ListingQuestion, 'id' | 'kind' | 'labelFr' | 'labelEn' | 'required' | 'choices' | 'min' | 'max'>;

export type AnswersChecked =
  | { ok: true; answers: AnswerSnapshot[] }
  | { ok: false; errors: Record<string, FieldError> };

type Value = AnswerInput['value'] | undefined;

/**
 * Control characters (C0 but tab and line ends, DEL, C1) and the bidi overrides and isolates
 * (U+202A–U+202E, U+2066–U+2069): shown to the co-op, they could make an answer read backwards or
 * hide part of it ("‮gnp.exe"). Left-to-right and right-to-left marks (U+200E/F) stay: Arabic or
 * Hebrew text needs them.
 */
const UNSAFE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
const cleanText = (s: string) => s.replace(UNSAFE, '').trim();
const isEmpty = (v: Value) =>
  v === undefined || v === null || (typeof v === 'string' && cleanText(v) === '') || (Array.isArray(v) && v.length === 0);

const YES = new Set(['true', 'yes', 'oui', '1', 'on']);
const NO = new Set(['false', 'no', 'non', '0', 'off']);

/** A number as people type it: "3", "-2", "2,5", "2.5", "1 200". */
function readNumber(v: Value): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v !== 'string') return null;
  const s = v.replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
  if (!/^-?\d+(\.\d+)?$/.test(s)) return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}

const numberText = (n: number, lang: 'fr' | 'en') => (lang === 'fr' ? String(n).replace('.', ',') : String(n));

type One = { ok: true; snapshot: Omit<AnswerSnapshot, 'questionId' | 'kind' | 'labelFr' | 'labelEn'> } | { ok: false; error: FieldError };

function checkOne(q: QuestionToAnswer, v: NonNullable<Value>): One {
  const bad = (e: FieldError): One => ({ ok: false, error: e });
  switch (q.kind) {
    case 'short_text':
    case 'long_text': {
      if (typeof v !== 'string') return bad(fieldError('invalid_value'));
      // A short answer is one line: the co-op reads it in a list.
      const t = q.kind === 'short_text' ? cleanText(v).replace(/[\t\r\n]+/g, ' ') : cleanText(v);
      const maximum = ANSWER_MAX_CHARS[q.kind];
      if (t.length > maximum) return bad(fieldError('too_long', { maximum }));
      return { ok: true, snapshot: { value: t, shownFr: t, shownEn: t } };
    }
    case 'one_choice': {
      const key = Array.isArray(v) && v.length === 1 ? v[0] : v;
      if (typeof key !== 'string') return bad(fieldError('invalid_value'));
      const c = q.choices.find((c) => c.key === key);
      if (!c) return bad(fieldError('invalid_choice'));
      return { ok: true, snapshot: { value: c.key, shownFr: c.labelFr, shownEn: c.labelEn } };
    }
    case 'several_choices': {
      const keys = typeof v === 'string' ? [v] : v;
      if (!Array.isArray(keys) || !keys.every((k) => typeof k === 'string')) return bad(fieldError('invalid_value'));
      const wanted = new Set(keys);
      if (wanted.size !== keys.length) return bad(fieldError('invalid_choice'));
      if (keys.some((k) => !q.choices.some((c) => c.key === k))) return bad(fieldError('invalid_choice'));
      // The co-op's order, whatever order the form sent them in.
      const chosen = q.choices.filter((c) => wanted.has(c.key));
      return {
        ok: true,
        snapshot: {
          value: chosen.map((c) => c.key),
          shownFr: chosen.map((c) => c.labelFr).join(', '),
          shownEn: chosen.map((c) => c.labelEn).join(', '),
        },
      };
    }
    case 'yes_no': {
      let yes: boolean;
      if (typeof v === 'boolean') yes = v;
      else if (typeof v === 'string' && YES.has(v.trim().toLowerCase())) yes = true;
      else if (typeof v === 'string' && NO.has(v.trim().toLowerCase())) yes = false;
      else return bad(fieldError('invalid_value'));
      return { ok: true, snapshot: { value: yes, shownFr: yes ? 'Oui' : 'Non', shownEn: yes ? 'Yes' : 'No' } };
    }
    case 'number': {
      const n = readNumber(v);
      // Decimals are answers too ("2,5 pièces", "1.5 h"): what cannot be read is not a number at all.
      if (n === null) return bad(fieldError('not_a_number'));
      if (n < (q.min ?? -NUMBER_LIMIT)) return bad(fieldError('too_small', { minimum: q.min ?? -NUMBER_LIMIT }));
      if (n > (q.max ?? NUMBER_LIMIT)) return bad(fieldError('too_large', { maximum: q.max ?? NUMBER_LIMIT }));
      return { ok: true, snapshot: { value: n, shownFr: numberText(n, 'fr'), shownEn: numberText(n, 'en') } };
    }
  }
}

/** Checks the answers to a listing's questions (given in the listing's order) and makes the snapshot to keep. */
export function checkAnswers(questions: readonly QuestionToAnswer[], answers: readonly AnswerInput[] | undefined): AnswersChecked {
  const byQuestion = new Map<string, Value>();
  const errors: Record<string, FieldError> = {};
  const asked = new Set(questions.map((q) => q.id));
  for (const a of answers ?? []) {
    if (!asked.has(a.questionId)) continue;
    if (byQuestion.has(a.questionId)) errors[a.questionId] = fieldError('invalid_value');
    byQuestion.set(a.questionId, a.value);
  }
  const snapshots: AnswerSnapshot[] = [];
  for (const q of questions) {
    if (errors[q.id]) continue;
    const v = byQuestion.get(q.id);
    if (isEmpty(v)) {
      if (q.required) errors[q.id] = fieldError('required');
      continue;
    }
    const one = checkOne(q, v as NonNullable<Value>);
    if (!one.ok) errors[q.id] = one.error;
    else snapshots.push({ questionId: q.id, kind: q.kind, labelFr: q.labelFr, labelEn: q.labelEn, ...one.snapshot });
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, answers: snapshots };
}

/** The errors of checkAnswers as an API answer's fields: "answers.<questionId>" (or another prefix). */
export function answerFieldErrors(errors: Record<string, FieldError>, prefix = 'answers'): FieldErrors {
  return Object.fromEntries(Object.entries(errors).map(([id, e]) => [`${prefix}.${id}`, [e]]));
}
