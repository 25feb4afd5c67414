/**
 * The answers to a listing's questions as a form sends them (QuestionFields: inputs named
 * "answers.<questionId>", several for the choices ticked) and as the API takes them. The API checks
 * them against the questions (shared/booking/questions.ts) and names its refusals by the same path.
 */
import type { AnswerInput } from '@tissu/shared';

const PREFIX = 'answers.';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The answer inputs sent, for formValues() to keep each as a list (the choices ticked). */
export function answerKeys(data: FormData): string[] {
  return [...new Set(data.keys())].filter((k) => k.startsWith(PREFIX) && UUID.test(k.slice(PREFIX.length)));
}

export function answersOf(data: FormData): AnswerInput[] {
  return answerKeys(data).map((key) => {
    const all = data.getAll(key).filter((v): v is string => typeof v === 'string');
    return { questionId: key.slice(PREFIX.length), value: all.length > 1 ? all : (all[0] ?? '') };
  });
}
