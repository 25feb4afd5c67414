/**
 * A listing's booking questions (what a co-op asks each client before it comes: the floor and
 * the piano, the dog's name) and the answers a booking or a quote request carries. The co-op
 * sends the whole list at once (`PUT /listings/:id/questions`); its order is the list's order.
 * Answers are checked by shared/booking/questions.ts and kept as a snapshot, so editing the
 * questions later never changes what a past booking says.
 */
import { z } from 'zod';
import { Id, text } from './common.js';

export const QUESTION_KINDS = ['short_text', 'long_text', 'one_choice', 'several_choices', 'yes_no', 'number'] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];
export const QuestionKindSchema = z.enum(QUESTION_KINDS, { error: 'invalid_choice' });
export const CHOICE_KINDS: readonly QuestionKind[] = ['one_choice', 'several_choices'];

/** How many questions a listing may ask: more is a form nobody finishes. */
export const MAX_QUESTIONS = 15;
export const MIN_CHOICES = 2;
export const MAX_CHOICES = 20;
/** The longest answer of each text kind, in characters. */
export const ANSWER_MAX_CHARS = { short_text: 200, long_text: 4000 } as const;
/** The bounds of a number question's own minimum and maximum. */
export const NUMBER_LIMIT = 1_000_000_000;

const choiceKey = z.string().regex(/^[a-z0-9_-]{1,40}$/, { error: 'invalid_value' });

export const QuestionChoice = z.object({
  /** Stable within its question: an answer names the choice by it. */
  key: choiceKey,
  labelFr: text(1, 120),
  labelEn: text(1, 120),
});
export type QuestionChoice = z.infer<typeof QuestionChoice>;

const bound = z.number({ error: 'invalid_number' }).int({ error: 'invalid_number' }).min(-NUMBER_LIMIT).max(NUMBER_LIMIT);

/** One question as the co-op sends it. A question already saved keeps its id; a new one has none. */
export const QuestionBody = z
  .object({
    id: Id.optional(),
    kind: QuestionKindSchema,
    labelFr: text(1, 200),
    labelEn: text(1, 200),
    helpFr: text(0, 500).default(''),
    helpEn: text(0, 500).default(''),
    required: z.boolean().default(false),
    /** For one_choice and several_choices only; a choice without a key gets one ("c1", "c2"...). */
    choices: z.array(QuestionChoice.extend({ key: choiceKey.optional() })).max(MAX_CHOICES).default([]),
    /** For number only: the smallest and largest answers accepted (none: any). */
    min: bound.nullable().default(null),
    max: bound.nullable().default(null),
  })
  .superRefine((q, ctx) => {
    if (CHOICE_KINDS.includes(q.kind)) {
      if (q.choices.length < MIN_CHOICES) ctx.addIssue({ code: 'custom', path: ['choices'], message: 'too_few', params: { minimum: MIN_CHOICES } });
      const keys = q.choices.flatMap((c) => (c.key ? [c.key] : []));
      if (new Set(keys).size !== keys.length) ctx.addIssue({ code: 'custom', path: ['choices'], message: 'duplicate_choice' });
    }
    if (q.kind === 'number' && q.min !== null && q.max !== null && q.max < q.min) {
      ctx.addIssue({ code: 'custom', path: ['max'], message: 'max_below_min' });
    }
  })
  .transform((q) => {
    const isChoice = CHOICE_KINDS.includes(q.kind);
    const used = new Set(q.choices.flatMap((c) => (c.key ? [c.key] : [])));
    let n = 0;
    const nextKey = () => {
      let k: string;
      do k = `c${++n}`;
      while (used.has(k));
      used.add(k);
      return k;
    };
    return {
      ...q,
      // What does not belong to the kind is dropped, so a changed kind leaves nothing stale behind.
      choices: isChoice ? q.choices.map((c) => ({ key: c.key ?? nextKey(), labelFr: c.labelFr, labelEn: c.labelEn })) : [],
      min: q.kind === 'number' ? q.min : null,
      max: q.kind === 'number' ? q.max : null,
    };
  });
export type QuestionBody = z.input<typeof QuestionBody>;

export const ListingQuestionsBody = z
  .object({ questions: z.array(QuestionBody).max(MAX_QUESTIONS) })
  .superRefine((b, ctx) => {
    const seen = new Set<string>();
    b.questions.forEach((q, i) => {
      if (!q.id) return;
      if (seen.has(q.id)) ctx.addIssue({ code: 'custom', path: ['questions', i, 'id'], message: 'invalid_value' });
      seen.add(q.id);
    });
  });
export type ListingQuestionsBody = z.infer<typeof ListingQuestionsBody>;

/** A question as the API answers it (and as checkAnswers reads it). */
export const ListingQuestion = z.object({
  id: Id,
  kind: QuestionKindSchema,
  labelFr: z.string(),
  labelEn: z.string(),
  helpFr: z.string(),
  helpEn: z.string(),
  required: z.boolean(),
  choices: z.array(z.object({ key: z.string(), labelFr: z.string(), labelEn: z.string() })),
  min: z.number().int().nullable(),
  max: z.number().int().nullable(),
  position: z.number().int(),
});
export type ListingQuestion = z.infer<typeof ListingQuestion>;
export const ListingQuestionList = z.object({ items: z.array(ListingQuestion) });
export type ListingQuestionList = z.infer<typeof ListingQuestionList>;

/**
 * One answer as a form sends it: text for the text kinds, a choice's key (one_choice), a list of
 * keys (several_choices), true/false or "yes"/"no" (yes_no), a number or its text ("2,5") for
 * number. Empty ("", [], null) is no answer.
 */
export const AnswerInput = z.object({
  questionId: Id,
  value: z.union([z.string().max(10_000, { error: 'too_long' }), z.number(), z.boolean(), z.array(z.string().max(100)).max(MAX_CHOICES), z.null()]),
});
export type AnswerInput = z.infer<typeof AnswerInput>;
export const AnswersInput = z.array(AnswerInput).max(MAX_QUESTIONS * 2);

/** An answer as kept on a booking: the question as it was asked, and the answer as it was shown. */
export const AnswerSnapshot = z.object({
  questionId: Id,
  kind: QuestionKindSchema,
  labelFr: z.string(),
  labelEn: z.string(),
  /** The answer itself: text, a choice's key, the keys chosen, yes (true) or no, a number. */
  value: z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]),
  /** The answer in words, in each language ("Oui", "Cuisine, Salle de bain", "3"). */
  shownFr: z.string(),
  shownEn: z.string(),
});
export type AnswerSnapshot = z.infer<typeof AnswerSnapshot>;
