// What other modules may use of accounts: a person and their co-op memberships.
export { confirmEmail, findUserById, membershipsOf, type UserRow } from './repository.js';
export { verifyPassword } from './password.js';
export { userDto } from './user-dto.js';
