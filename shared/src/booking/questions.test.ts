import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkAnswers, answerFieldErrors, type QuestionToAnswer } from './questions.js';
import { ListingQuestionsBody, NUMBER_LIMIT, QUESTION_KINDS, type AnswerInput } from '../schemas/questions.js';
import { fieldErrorsOf } from '../errors.js';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const q = (n: number, kind: QuestionToAnswer['kind'], more: Partial<QuestionToAnswer> = {}): QuestionToAnswer => ({
  id: id(n), kind, labelFr: `Question ${n}`, labelEn: `Question ${n} (en)`, required: false, choices: [], min: null, max: null, ...more,
});
const rooms = [
  { key: 'kitchen', labelFr: 'Cuisine', labelEn: 'Kitchen' },
  { key: 'bath', labelFr: 'Salle de bain', labelEn: 'Bathroom' },
  { key: 'bed', labelFr: 'Chambre', labelEn: 'Bedroom' },
];

describe('checkAnswers', () => {
  it('refuses a required question left unanswered, whatever "empty" looks like', () => {
    const qs = [q(1, 'short_text', { required: true })];
    for (const answers of [undefined, [], [{ questionId: id(1), value: '' }], [{ questionId: id(1), value: '   ' }], [{ questionId: id(1), value: null }]]) {
      const r = checkAnswers(qs, answers as AnswerInput[] | undefined);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.errors[id(1)]?.code).toBe('required');
    }
    const several = checkAnswers([q(2, 'several_choices', { required: true, choices: rooms })], [{ questionId: id(2), value: [] }]);
    expect(several).toMatchObject({ ok: false, errors: { [id(2)]: { code: 'required' } } });
  });

  it('leaves unanswered optional questions out of the snapshot, and keeps the questions\' order', () => {
    const qs = [q(1, 'short_text'), q(2, 'yes_no'), q(3, 'number')];
    const r = checkAnswers(qs, [{ questionId: id(3), value: 4 }, { questionId: id(1), value: ' Deux chats ' }]);
    expect(r).toEqual({
      ok: true,
      answers: [
        { questionId: id(1), kind: 'short_text', labelFr: 'Question 1', labelEn: 'Question 1 (en)', value: 'Deux chats', shownFr: 'Deux chats', shownEn: 'Deux chats' },
        { questionId: id(3), kind: 'number', labelFr: 'Question 3', labelEn: 'Question 3 (en)', value: 4, shownFr: '4', shownEn: '4' },
      ],
    });
  });

  it('checks the length of text answers by kind', () => {
    const qs = [q(1, 'short_text'), q(2, 'long_text')];
    expect(checkAnswers(qs, [{ questionId: id(1), value: 'a'.repeat(200) }, { questionId: id(2), value: 'b'.repeat(4000) }]).ok).toBe(true);
    const r = checkAnswers(qs, [{ questionId: id(1), value: 'a'.repeat(201) }, { questionId: id(2), value: 'b'.repeat(4001) }]);
    expect(r).toMatchObject({ ok: false, errors: { [id(1)]: { code: 'too_long', maximum: 200 }, [id(2)]: { code: 'too_long', maximum: 4000 } } });
    expect(checkAnswers(qs, [{ questionId: id(1), value: 12 }])).toMatchObject({ ok: false, errors: { [id(1)]: { code: 'invalid_value' } } });
  });

  it('takes one known choice, and says which choice is unknown', () => {
    const qs = [q(1, 'one_choice', { choices: rooms })];
    expect(checkAnswers(qs, [{ questionId: id(1), value: 'bath' }])).toMatchObject({ ok: true, answers: [{ value: 'bath', shownFr: 'Salle de bain', shownEn: 'Bathroom' }] });
    expect(checkAnswers(qs, [{ questionId: id(1), value: 'garage' }])).toMatchObject({ ok: false, errors: { [id(1)]: { code: 'invalid_choice' } } });
    expect(checkAnswers(qs, [{ questionId: id(1), value: ['bath', 'bed'] }])).toMatchObject({ ok: false, errors: { [id(1)]: { code: 'invalid_value' } } });
    expect(checkAnswers(qs, [{ questionId: id(1), value: true }])).toMatchObject({ ok: false, errors: { [id(1)]: { code: 'invalid_value' } } });
  });

  it('takes several known choices in the co-op\'s order, once each', () => {
    const qs = [q(1, 'several_choices', { choices: rooms })];
    expect(checkAnswers(qs, [{ questionId: id(1), value: ['bed', 'kitchen'] }])).toMatchObject({
      ok: true, answers: [{ value: ['kitchen', 'bed'], shownFr: 'Cuisine, Chambre', shownEn: 'Kitchen, Bedroom' }],
    });
    expect(checkAnswers(qs, [{ questionId: id(1), value: 'bath' }])).toMatchObject({ ok: true, answers: [{ value: ['bath'] }] });
    expect(checkAnswers(qs, [{ questionId: id(1), value: ['bath', 'attic'] }])).toMatchObject({ ok: false, errors: { [id(1)]: { code: 'invalid_choice' } } });
    expect(checkAnswers(qs, [{ questionId: id(1), value: ['bath', 'bath'] }])).toMatchObject({ ok: false, errors: { [id(1)]: { code: 'invalid_choice' } } });
  });

  it('reads yes and no from a checkbox or a radio, and keeps "no" as an answer to a required question', () => {
    const qs = [q(1, 'yes_no', { required: true })];
    expect(checkAnswers(qs, [{ questionId: id(1), value: false }])).toMatchObject({ ok: true, answers: [{ value: false, shownFr: 'Non', shownEn: 'No' }] });
    expect(checkAnswers(qs, [{ questionId: id(1), value: 'oui' }])).toMatchObject({ ok: true, answers: [{ value: true, shownFr: 'Oui' }] });
    expect(checkAnswers(qs, [{ questionId: id(1), value: 'peut-être' }])).toMatchObject({ ok: false, errors: { [id(1)]: { code: 'invalid_value' } } });
  });

  it('reads numbers as typed in French or English, within the question\'s bounds', () => {
    const qs = [q(1, 'number', { min: 0, max: 12 })];
    expect(checkAnswers(qs, [{ questionId: id(1), value: '2,5' }])).toMatchObject({ ok: true, answers: [{ value: 2.5, shownFr: '2,5', shownEn: '2.5' }] });
    expect(checkAnswers(qs, [{ questionId: id(1), value: '12' }]).ok).toBe(true);
    expect(checkAnswers(qs, [{ questionId: id(1), value: 13 }])).toMatchObject({ ok: false, errors: { [id(1)]: { code: 'too_large', maximum: 12 } } });
    expect(checkAnswers(qs, [{ questionId: id(1), value: '-1' }])).toMatchObject({ ok: false, errors: { [id(1)]: { code: 'too_small', minimum: 0 } } });
    // What cannot be read is "not a number" (decimals are read, so never "not a whole number").
    expect(checkAnswers(qs, [{ questionId: id(1), value: 'trois' }])).toMatchObject({ ok: false, errors: { [id(1)]: { code: 'not_a_number' } } });
    expect(checkAnswers(qs, [{ questionId: id(1), value: Number.NaN }])).toMatchObject({ ok: false, errors: { [id(1)]: { code: 'not_a_number' } } });
    expect(checkAnswers(qs, [{ questionId: id(1), value: '1e3' }])).toMatchObject({ ok: false, errors: { [id(1)]: { code: 'not_a_number' } } });
    // Without bounds, the bounds a co-op could set at most.
    const free = [q(2, 'number')];
    expect(checkAnswers(free, [{ questionId: id(2), value: '9'.repeat(30) }])).toMatchObject({ ok: false, errors: { [id(2)]: { code: 'too_large', maximum: NUMBER_LIMIT } } });
    expect(checkAnswers(free, [{ questionId: id(2), value: ' 1 200,75 ' }])).toMatchObject({ ok: true, answers: [{ value: 1200.75, shownFr: '1200,75' }] });
  });

  it('strips bidi overrides and isolates and control characters from text answers; a short answer stays on one line', () => {
    const qs = [q(1, 'short_text'), q(2, 'long_text')];
    const r = checkAnswers(qs, [
      { questionId: id(1), value: 'Porte\u202e\u2066 bleue\u2069\u202a\u0085\u009b\nau fond' },
      { questionId: id(2), value: 'Ligne 1\nLigne 2\u202d\u2067\u2068\u202b\u202c\u0007 \u200fשלום' },
    ]);
    expect(r).toMatchObject({ ok: true, answers: [
      { value: 'Porte bleue au fond', shownFr: 'Porte bleue au fond' },
      { value: 'Ligne 1\nLigne 2 \u200fשלום' },
    ] });
    // Nothing but overrides is no answer.
    expect(checkAnswers([q(1, 'short_text', { required: true })], [{ questionId: id(1), value: '\u202e\u2066' }])).toMatchObject({ ok: false, errors: { [id(1)]: { code: 'required' } } });
  });

  it('ignores answers to questions no longer asked, and refuses two answers to one question', () => {
    const qs = [q(1, 'short_text')];
    expect(checkAnswers(qs, [{ questionId: id(9), value: 'old form' }])).toEqual({ ok: true, answers: [] });
    const r = checkAnswers(qs, [{ questionId: id(1), value: 'a' }, { questionId: id(1), value: 'b' }]);
    expect(r).toMatchObject({ ok: false, errors: { [id(1)]: { code: 'invalid_value' } } });
    if (!r.ok) expect(answerFieldErrors(r.errors)).toEqual({ [`answers.${id(1)}`]: [r.errors[id(1)]] });
  });

  it('property: ok exactly when no question has an error; a snapshot per answered question, in order', () => {
    const questionArb = fc.record({
      kind: fc.constantFrom(...QUESTION_KINDS),
      required: fc.boolean(),
      min: fc.option(fc.integer({ min: -5, max: 5 }), { nil: null }),
    });
    const valueArb = fc.oneof(
      fc.constant(undefined), fc.constant(null), fc.string({ maxLength: 250 }), fc.integer({ min: -20, max: 20 }), fc.boolean(),
      fc.constantFrom('kitchen', 'bath', 'garage', 'oui', 'non', '3,5'), fc.subarray(['kitchen', 'bath', 'bed', 'garage']),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(questionArb, valueArb), { maxLength: 15 }), (rows) => {
        const qs = rows.map(([r], i) => q(i + 1, r.kind, { required: r.required, choices: rooms, min: r.kind === 'number' ? r.min : null, max: r.kind === 'number' && r.min !== null ? r.min + 10 : null }));
        const answers = rows.flatMap(([, v], i) => (v === undefined ? [] : [{ questionId: id(i + 1), value: v }]));
        const all = checkAnswers(qs, answers);
        const each = qs.map((qq, i) => checkAnswers([qq], answers.filter((a) => a.questionId === id(i + 1))));
        expect(all.ok).toBe(each.every((e) => e.ok));
        if (all.ok) {
          expect(all.answers).toEqual(each.flatMap((e) => (e.ok ? e.answers : [])));
          const ids = all.answers.map((a) => a.questionId);
          expect(ids).toEqual([...ids].sort());
          for (const [i, qq] of qs.entries()) if (qq.required) expect(ids).toContain(id(i + 1));
        } else {
          const wrong = Object.keys(all.errors).sort();
          expect(wrong).toEqual(qs.filter((_, i) => !each[i]!.ok).map((qq) => qq.id));
        }
        expect(checkAnswers(qs, answers)).toEqual(all);
      }),
      { numRuns: 300 },
    );
  });
});

describe('ListingQuestionsBody', () => {
  it('gives choices without keys their own, drops what does not belong to the kind', () => {
    const b = ListingQuestionsBody.parse({
      questions: [
        { kind: 'one_choice', labelFr: 'Étage', labelEn: 'Floor', choices: [{ key: 'c1', labelFr: 'Rez', labelEn: 'Ground' }, { labelFr: '1er', labelEn: '1st' }, { labelFr: '2e', labelEn: '2nd' }], min: 1 },
        { kind: 'short_text', labelFr: 'Nom du chien', labelEn: "Dog's name", choices: [{ labelFr: 'x', labelEn: 'x' }] },
      ],
    });
    expect(b.questions[0]!.choices.map((c) => c.key)).toEqual(['c1', 'c2', 'c3']);
    expect(b.questions[0]!.min).toBeNull();
    expect(b.questions[1]!.choices).toEqual([]);
    expect(b.questions[1]).toMatchObject({ required: false, helpFr: '', helpEn: '' });
  });

  it('refuses a choice question with fewer than 2 choices, a max below its min, more than 15 questions', () => {
    const input = {
      questions: [
        { kind: 'several_choices', labelFr: 'Pièces', labelEn: 'Rooms', choices: [{ labelFr: 'Cuisine', labelEn: 'Kitchen' }] },
        { kind: 'number', labelFr: 'Étages', labelEn: 'Floors', min: 5, max: 2 },
        { kind: 'one_choice', labelFr: 'A', labelEn: 'A', choices: [{ key: 'a', labelFr: 'A', labelEn: 'A' }, { key: 'a', labelFr: 'B', labelEn: 'B' }] },
      ],
    };
    const r = ListingQuestionsBody.safeParse(input);
    expect(r.success).toBe(false);
    const fields = fieldErrorsOf(r.error!.issues, input);
    expect(fields['questions.0.choices']?.[0]).toMatchObject({ code: 'too_few', minimum: 2 });
    expect(fields['questions.1.max']?.[0]?.code).toBe('max_below_min');
    expect(fields['questions.2.choices']?.[0]?.code).toBe('duplicate_choice');
    const many = { questions: Array.from({ length: 16 }, () => ({ kind: 'yes_no', labelFr: 'Chat ?', labelEn: 'Cat?' })) };
    expect(ListingQuestionsBody.safeParse(many).success).toBe(false);
  });
});
