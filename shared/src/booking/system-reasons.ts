/**
 * Reasons Tissu itself writes into a booking's history (a job, a change to a whole series, a
 * cancellation left without one). They are stored in English, as a record; people read them in
 * their language, in the emails and on the web alike. A reason a person typed is shown as typed.
 */
const SYSTEM_REASONS: Record<string, { fr: string; en: string }> = {
  'No answer in time': { fr: 'Pas de réponse à temps', en: 'No answer in time' },
  'Not paid in time': { fr: 'Pas payée à temps', en: 'Not paid in time' },
  'series changed': { fr: 'Visites régulières modifiées', en: 'Regular visits changed' },
  'series paused': { fr: 'Visites régulières mises en pause', en: 'Regular visits paused' },
  'series ended': { fr: 'Fin des visites régulières', en: 'Regular visits ended' },
  // Closed hours too (a closure of 10:00–14:00 leaves 14:00 offered): the words fit both.
  'closed day': { fr: 'La coopérative est fermée à cette heure-là', en: 'The co-op is closed at that time' },
  'Regular visits changed by the client': { fr: 'Visites régulières modifiées par le client', en: 'Regular visits changed by the client' },
  'Regular visits changed by the co-op': { fr: 'Visites régulières modifiées par la coopérative', en: 'Regular visits changed by the co-op' },
  'Cancelled by the client': { fr: 'Annulée par le client', en: 'Cancelled by the client' },
  'Cancelled by the co-op': { fr: 'Annulée par la coopérative', en: 'Cancelled by the co-op' },
  // A booking made by accepting a quote's offer (its first history row).
  'Quote accepted': { fr: 'Devis accepté', en: 'Quote accepted' },
};

/** A history reason in the reader's language: Tissu's own in words of theirs, a person's as typed. */
export function reasonIn(reason: string, locale: 'fr' | 'en'): string {
  return Object.hasOwn(SYSTEM_REASONS, reason) ? SYSTEM_REASONS[reason]![locale] : reason;
}
