/**
 * The cookie /lang sets beside Paraglide's when the language was chosen on this site (followed
 * from its own pages, or typed): only such a choice becomes the account's at sign-in
 * (chosen-language.ts). A link from another site changes this browser's pages only.
 */
export const CHOSEN_HERE = 'tissu_lang_chosen';
