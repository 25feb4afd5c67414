import { str, strs } from './forms';

/** The co-op profile form, as the shared CoopProfileBody schema expects it. */
export function readCoopProfile(data: FormData) {
  return {
    legalName: str(data, 'legalName'),
    legalForm: str(data, 'legalForm'),
    neq: str(data, 'neq'),
    region: str(data, 'region'),
    languages: strs(data, 'languages'),
    descriptionFr: str(data, 'descriptionFr'),
    descriptionEn: str(data, 'descriptionEn'),
    commitments: str(data, 'commitments'),
    foundedYear: str(data, 'foundedYear'),
  };
}

export type CoopProfileValues = ReturnType<typeof readCoopProfile>;

