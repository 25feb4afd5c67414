// Private calendar feeds: nothing here is used by other modules; app.ts registers the routes.
export { FEED_WINDOW } from './service.js';
