import type { User } from '@tissu/shared';
import type { Api } from '$lib/server/api/client';

declare global {
  namespace App {
    interface Locals {
      locale: 'fr' | 'en';
      user: User | null;
      api: Api;
    }
    interface Error {
      message: string;
      code?: string;
    }
  }
}

export {};
