/**
 * The name shown publicly for a person (a review's author): the first name and the initial of the
 * last name, "Marie-Ève T.", as the review form promises. Derived when read, never stored, so every
 * review, old ones included, follows the same rule.
 */
/**
 * The name a deleted account keeps (server/src/modules/privacy), in both languages since it is
 * stored once: what others see where her past stays (conversations, reviews, the member register).
 */
export const FORMER_MEMBER_NAME = 'Compte supprimé · Deleted account';

export function publicName(fullName: string): string {
  if (fullName === FORMER_MEMBER_NAME) return fullName;
  const words = fullName.trim().split(/\s+/u).filter(Boolean);
  if (words.length === 0) return '';
  const first = words[0]!;
  if (words.length === 1) return first;
  const initial = Array.from(words[words.length - 1]!)[0]!.toLocaleUpperCase('fr-CA');
  return `${first} ${initial}.`;
}
