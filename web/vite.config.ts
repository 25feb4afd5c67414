import { fileURLToPath } from 'node:url';
import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';
import { clientChunks } from './vite/client-chunks';
import { clientMessages } from './vite/client-messages';
import { localeBundles } from './vite/locale-bundles';

export default defineConfig({
  plugins: [
    // The locale lives in a cookie (French when there is none), so URLs carry no locale prefix.
    paraglideVitePlugin({
      project: './project.inlang',
      outdir: './src/lib/paraglide',
      strategy: ['cookie', 'baseLocale'],
    }),
    sveltekit(),
    clientMessages(),
    clientChunks(fileURLToPath(new URL('./src/routes', import.meta.url))),
    localeBundles(),
  ],
  server: { port: 3000 },
  preview: { port: 3000 },
});
