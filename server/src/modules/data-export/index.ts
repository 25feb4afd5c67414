// "Download my data": the job worker builds the archives and deletes expired ones; app.ts registers the routes.
export { createDataExports, type DataExports } from './service.js';
