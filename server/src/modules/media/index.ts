// What other modules use of media: photos' rows as answers, processing an upload, and their files.
export { createPhotoReader, type PhotoReader, type CoopImages } from './reader.js';
export { processPhoto, type ProcessedPhoto } from './process.js';
export { writePhotoFiles, removePhotoFiles } from './store.js';
export { toPhoto, coopImageToPhoto, photoKeys } from './dto.js';
export * as photoRows from './repository.js';
