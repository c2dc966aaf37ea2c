/** The server's limits (citizen report schema, image upload), mirrored so the form can guide the citizen; the server stays the judge. */
export const MAX_PHOTOS = 6;
export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;
export const MIN_TEXT_CHARS = 5;
