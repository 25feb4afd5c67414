import { describe, expect, it } from 'vitest';
import { decisionMail } from './coop-messages.js';

const to = { email: 'a@example.org', name: 'Amina', locale: 'fr' as const };
const coop = (legalName: string, status: 'approved' | 'rejected') => ({ legalName, slug: 'x', status, decisionReason: 'Dossier incomplet' });

describe('the decision on an application, in French', () => {
  it('elides "de" before a vowel and gives a co-op named "Coopérative …" its article', () => {
    expect(decisionMail(to, coop('Atelier Vélo', 'approved'), 'https://tissu.example').text).toContain("la demande d'adhésion d'Atelier Vélo est acceptée");
    expect(decisionMail(to, coop('Coopérative de travail Ménage Plus', 'rejected'), 'https://tissu.example').text)
      .toContain("n'ont pas accepté la demande de la Coopérative de travail Ménage Plus,");
    expect(decisionMail(to, coop('Garde Soleil', 'rejected'), 'https://tissu.example').text).toContain('la demande de Garde Soleil,');
  });
});
