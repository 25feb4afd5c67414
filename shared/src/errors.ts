/**
 * The error codes of the API, defined once. Every 4xx answer is `{ error: { code, message, fields? } }`:
 * `code` says what went wrong (one of ERROR_CODES), and each field error carries its own code
 * (one of FIELD_ERRORS) with the limit it broke (`{ code: 'too_short', minimum: 8 }`). Clients
 * put codes into words in their own language; the English `message` is for people reading the
 * API, and rewording it changes no client.
 *
 * The shared zod schemas name a field error by giving its code as the check's message
 * (`.min(10, { error: 'too_short' })`); fieldErrorOf() reads an issue back into a code, so the
 * server's answers and the web's own checks with the same schemas give the same codes.
 */

/** Codes of a whole answer (`error.code`). */
export const ERROR_CODES = [
  // Requests the API cannot read
  'validation_failed', 'bad_request', 'uri_too_long', 'payload_too_large', 'unsupported_media_type',
  'invalid_signature', 'invalid_event', 'idempotency_key_reused', 'request_in_progress',
  // Who is asking
  'unauthorized', 'invalid_credentials', 'invalid_token', 'token_expired', 'session_revoked', 'invalid_refresh_token',
  'sign_in_delayed', 'email_not_verified', 'invalid_reset_link', 'invalid_verification_link', 'forbidden',
  'invalid_email_change_link',
  // Generic answers
  'not_found', 'conflict', 'rate_limited', 'busy', 'internal', 'database_unavailable', 'payment_processor_unavailable',
  // Co-ops and their members
  'not_pending', 'coop_not_approved', 'already_member', 'already_invited', 'invitation_used', 'invitation_gone', 'last_admin',
  'too_many_pending_applications', 'too_many_open_invitations',
  // Listings, bookings, payments, reviews
  'listing_archived', 'listing_paused', 'slot_unavailable', 'coop_not_ready', 'invalid_transition', 'booking_not_started',
  'open_bookings_on_listing', 'open_bookings_limit', 'fee_rate_exists',
  'payment_in_progress', 'already_paid', 'not_payable', 'refund_too_large', 'nothing_to_refund',
  'not_completed', 'already_reviewed', 'already_replied',
  // A worker's minutes ("Mes visites")
  'visit_not_started', 'minutes_already_confirmed',
  // Regular visits
  'series_not_offered', 'series_needs_choices', 'series_limit', 'series_exists', 'request_lapsed', 'preview_changed',
  // Membership, fiscal years, surplus plans, the assembly
  'not_eligible', 'already_ended', 'share_payment_pending',
  'overlapping_year', 'payment_deadline_passed', 'year_closing', 'year_closed', 'year_not_over', 'already_closed',
  'year_open', 'plan_frozen', 'plan_exists', 'not_approved',
  'vote_not_open', 'already_voted', 'already_decided', 'vote_still_open',
  // Conversations
  'already_reported',
  // The team's day: absences and assignment
  'worker_away', 'worker_busy', 'time_off_overlap', 'time_off_over',
  // Download my data
  'export_in_progress', 'export_limit_reached', 'export_expired',
  // Deleting one's account
  'account_deletion_blocked', 'conversation_closed',
  // Photos
  'too_many_photos',
  // Saved addresses
  'too_many_addresses',
  // Quotes
  'quotes_not_offered', 'quote_exists', 'offer_not_current', 'offer_expired', 'listing_on_quote',
  'quote_booking_reschedule', 'too_many_offers',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** What a field error may carry besides its code: the limit it broke, or the day that matters. */
export interface FieldErrorParams {
  /** A lower limit: characters, a number, cents, basis points, minutes (the code says which). */
  minimum?: number;
  /** An upper limit, in the same units. */
  maximum?: number;
  /** A calendar day, "2026-01-31". */
  date?: string;
}

type English = (p: FieldErrorParams) => string;
const money = (cents = 0) => `${(cents / 100).toFixed(2)} $`;
const percent = (bps = 0) => `${bps / 100} %`;

/** Every field error code, with its English for readers of the API. */
export const FIELD_ERRORS = {
  // Any field
  required: () => 'Required',
  too_short: (p) => `At least ${p.minimum} characters`,
  too_long: (p) => `At most ${p.maximum} characters`,
  too_small: (p) => `At least ${p.minimum}`,
  too_large: (p) => `At most ${p.maximum}`,
  too_few: (p) => `Choose at least ${p.minimum}`,
  too_many: (p) => `At most ${p.maximum} items`,
  invalid_number: () => 'Must be a whole number',
  not_a_number: () => 'Must be a number, like 3 or 2.5',
  invalid_choice: () => 'Choose one of the options',
  invalid_value: () => 'Invalid value',
  invalid_id: () => 'Must be a valid id',
  invalid_email: () => 'Must be a valid email address',
  invalid_phone: () => 'A phone number: 7 to 15 digits, like 514 555-0123',
  choose_date: () => 'Choose a date (YYYY-MM-DD)',
  implausible_date: () => 'A date between the years 1900 and 2200',
  date_in_future: () => 'Cannot be in the future',
  invalid_idempotency_key: () => '8 to 100 letters, digits, "-" or "_"',
  nothing_to_change: () => 'Nothing to change',
  // Accounts
  invalid_link: () => 'This link is not valid or has expired; ask for a new one',
  wrong_password: () => 'The current password is wrong',
  password_blank: () => 'A password cannot be only spaces',
  same_email: () => 'This is already your address',
  // Co-ops
  neq_digits: () => 'A Québec enterprise number (NEQ) has exactly 10 digits',
  choose_region: () => 'Choose a borough or region',
  choose_language: () => 'Choose at least one language',
  invalid_year: () => 'Must be a year',
  year_too_early: (p) => `Must be ${p.minimum} or later`,
  year_in_future: () => 'Cannot be in the future',
  invalid_coop: () => "Must be a co-op's id or slug",
  already_member: () => 'Already a member',
  already_invited: () => 'Already invited',
  invited_too_often: (p) => `This address was invited ${p.maximum} times in the last 24 hours: wait a day`,
  // Listings and search
  choose_category: () => 'Choose a category',
  invalid_amount: () => 'Must be a whole number of cents',
  price_too_low: (p) => `Must be at least ${money(p.minimum)}`,
  price_too_high: (p) => `Must be at most ${money(p.maximum)}`,
  amount_too_small: (p) => `At least ${money(p.minimum)}`,
  amount_too_large: (p) => `At most ${money(p.maximum)}`,
  invalid_minutes: () => 'Must be a number of minutes',
  duration_too_short: (p) => `At least ${p.minimum} minutes`,
  duration_too_long: () => 'At most 14 days',
  choose_borough: () => 'Choose at least one borough served',
  solidarity_not_lower: () => 'The solidarity price must be lower than the regular price',
  below_minimum_price: () => 'Must be at least the minimum price',
  invalid_cursor: () => 'Invalid cursor',
  cursor_sort_mismatch: () => 'Cursor does not match the sort',
  // Opening hours and slots
  invalid_time: () => 'Use the 24-hour HH:MM format',
  unknown_time_zone: () => 'Unknown time zone',
  end_before_start: () => 'Must end after it starts',
  time_skipped: () => 'This time does not exist that day: the clocks go forward',
  both_times_or_neither: () => 'Give both times or neither',
  extra_hours_need_times: () => 'Extra hours need times',
  day_passed: () => 'This day has passed: choose today or a later day',
  range_too_long: (p) => `At most ${p.maximum} days at a time`,
  // Bookings
  choose_slot: () => 'Choose a time slot',
  address_required: () => 'Required: the co-op comes to this address',
  no_solidarity_rate: () => 'This listing has no solidarity rate',
  solidarity_choice_required: () => 'Required for a solidarity request',
  assign_first: () => 'Assign the worker first',
  not_coop_member: () => 'Not a member of this co-op',
  reason_for_extra_minutes: (p) => `Required when a worker's minutes exceed the booking's ${p.maximum} minutes`,
  minutes_over_booking: (p) => `At most ${p.maximum} minutes per worker without a reason`,
  reason_for_correction: () => 'Required when changing minutes already confirmed',
  // Payments
  percent_too_low: (p) => `At least ${percent(p.minimum)}`,
  percent_too_high: (p) => `At most ${percent(p.maximum)}`,
  gst_format: () => 'Format: 123456789RT0001',
  qst_format: () => 'Format: 1234567890TQ0001',
  tax_number_required: () => 'Required when registered',
  rate_in_past: () => 'A new rate cannot start in the past',
  fee_rate_exists: () => 'A rate already starts at this instant',
  refund_above_left: (p) => `At most ${money(p.maximum)} is left to refund`,
  // Membership and fiscal years
  producer_is_coop: () => 'A producer member is a co-op: choose it',
  coop_only_producer: () => 'Only a producer membership is held by a co-op',
  choose_person: () => 'Choose the person who joins',
  person_or_coop: () => 'A membership is held by a person or a co-op, not both',
  no_such_coop: () => 'No such co-op',
  no_such_person: () => 'No such person',
  coop_not_approved: () => 'This co-op is not approved yet',
  worker_not_in_member_coop: () => 'Worker-members work in an approved co-op that is a member of the platform co-op',
  membership_start_in_future: () => 'A membership starts once the share is paid: not in the future',
  end_before_membership_start: () => 'Must be after the day the membership started',
  month_day_format: () => 'Like 01-01',
  reserve_required_when_applies: () => 'Must be more than 0 % while the legal minimum reserve applies',
  payment_deadline_passed: (p) => `Refunds for this year had to be paid by ${p.date}`,
  year_too_far_ahead: (p) => `A year can be opened at most one year ahead: it must start by ${p.date}`,
  no_fiscal_year: () => 'No fiscal year covers this date: open its fiscal year first',
  // Surplus plans and the assembly
  weights_not_100: () => 'The class weights must add up to 100 %',
  duplicate_member: () => 'A member appears twice',
  too_many_units: () => 'Too many patronage units in one class',
  close_before_open: () => 'The vote must close after it opens',
  close_in_past: () => 'The vote must close in the future',
  rate_before_vote_end: () => 'A new rate can only take effect once the vote is over',
  choose_membership: () => 'Choose which membership you vote for',
  // Regular visits
  frequency_not_offered: () => 'This listing does not offer this frequency',
  weekday_start: () => 'Weekday visits start on a weekday',
  until_or_count: () => 'Give an end date or a number of visits, not both',
  series_too_long: (p) => `A series ends by ${p.date} at the latest`,
  too_few_visits: (p) => `Regular visits make at least ${p.minimum} visits: choose a later end`,
  visit_not_free: (p) => `The visit of ${p.date} is not free: skip it or choose another time`,
  not_a_visit_date: () => 'Not one of the visits shown: choose among them (the first cannot be left out or moved)',
  move_too_far: () => 'A visit moves to a free time from the day before to the day after its date',
  not_a_listed_time: () => 'This time is not one of the listing\'s times that day: see the free times on the listing\'s page',
  after_series_end: (p) => `These visits end on ${p.date}: a change must start by then`,
  change_too_far_ahead: (p) => `A change starts within the coming year: by ${p.date} at the latest`,
  // Conversations
  offer_inquiry_only: () => 'A time is suggested in an inquiry, before anything is booked',
  not_coop_listing: () => "Not one of this co-op's listings",
  time_in_past: () => 'This time has passed: choose a later one',
  offer_time_not_free: () => 'Not a free time of this service: choose one of its free slots',
  not_your_conversation: () => 'Not one of your open conversations with this co-op',
  // The team's day
  ends_in_past: () => 'Must end in the future',
  time_off_too_long: (p) => `At most ${p.maximum} days at a time`,
  worker_away: () => 'Away at that time',
  worker_busy: () => 'Already on another visit at that time',
  reason_for_removal: () => 'Say why you take someone off this booking',
  // Deleting one's account: what must happen first
  confirmation_mismatch: () => 'Type SUPPRIMER (or DELETE) to confirm',
  coming_booking: () => 'A booking is coming: cancel it, or wait until it is over',
  unpaid_booking: () => 'A booking is accepted but not paid: pay it or cancel it',
  live_series: () => 'Your regular visits are still on: end them first',
  assigned_visit: () => 'You are assigned to a coming visit: ask your co-op to assign someone else',
  only_coop_admin: () => 'You are the only admin of a co-op: make another member admin first',
  open_membership: () => 'You are a member of the platform co-op: ask the stewards to end your membership and redeem your share first',
  capital_balance: () => 'Your capital account still holds money: it is paid back through the co-op\'s process first',
  money_owed_to_you: () => 'Tissu owes you money (a refund or a patronage refund): it is paid to you first',
  steward_role: () => 'You are a steward: another steward must take over your role first',
  // Photos
  not_an_image: () => 'Not an image we can read: send a JPEG, PNG, WebP, AVIF or HEIC photo',
  image_too_many_pixels: (p) => `At most ${p.maximum} pixels (width × height)`,
  file_too_large: (p) => `At most ${Math.round((p.maximum ?? 0) / 1024 / 1024)} MB`,
  alt_required: () => 'Say what the photo shows, in French or English',
  photo_order_mismatch: () => "List each of the listing's photos exactly once",
  // Quotes
  duplicate_time: () => 'The same time is proposed twice',
  time_not_proposed: () => 'Choose one of the times the offer proposes',
  validity_in_past: () => 'Must be in the future',
  date_in_past: () => 'Choose today or a later date',
  validity_too_long: (p) => `At most ${p.maximum} days from now`,
  time_too_far_ahead: () => 'At most one year from now',
  times_or_series: () => 'Propose times for one visit, or regular visits, not both',
  line_zero: () => 'This line comes to 0.00 $: give it an amount',
  team_fully_booked: () => "The co-op's team is fully booked at that time",
  // Booking questions
  duplicate_choice: () => 'Each choice appears once',
  max_below_min: () => 'Must be at least the minimum',
  // Add-ons of listings
  minutes_step: (p) => `In steps of ${p.minimum ?? 5} minutes`,
  duplicate_addon: () => 'The same add-on appears twice',
  addon_unavailable: () => 'Not one of the add-ons this listing offers now',
  // Saved addresses
  invalid_postal_code: () => 'A Canadian postal code, like H2X 1Y4',
  unknown_address: () => 'Not one of your saved addresses',
} satisfies Record<string, English>;
export type FieldErrorCode = keyof typeof FIELD_ERRORS;
export const FIELD_ERROR_CODES = Object.keys(FIELD_ERRORS) as [FieldErrorCode, ...FieldErrorCode[]];

/** One error of one field, as the API sends it. */
export type FieldError = { code: FieldErrorCode; message: string } & FieldErrorParams;
/** Field path ("pricing.0.amountCents") → its errors. */
export type FieldErrors = Record<string, FieldError[]>;

export const isFieldErrorCode = (s: unknown): s is FieldErrorCode => typeof s === 'string' && Object.hasOwn(FIELD_ERRORS, s);

/** A field error with its English. */
export function fieldError(code: FieldErrorCode, params: FieldErrorParams = {}): FieldError {
  return { code, message: (FIELD_ERRORS[code] as English)(params), ...params };
}

/** The parts of a zod issue fieldErrorOf() reads (zod's own issue type, or fastify's copy of it). */
export interface IssueLike {
  code: string;
  message: string;
  path?: readonly PropertyKey[];
  origin?: string;
  format?: string;
  expected?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  /** A refinement's own parameters (`.refine(f, { error: 'range_too_long', params: { maximum: 62 } })`). */
  params?: Record<string, unknown>;
}

const limit = (n: number | bigint | undefined) => (n === undefined ? undefined : Number(n));

/**
 * A zod issue as a field error. A schema that names its error gives the code as the message;
 * zod's own checks are read from the issue's kind. `missing` says the field was not sent at all,
 * which turns "wrong type" into "required".
 */
export function fieldErrorOf(issue: IssueLike, missing = false): FieldError {
  const own = issue.params ?? {};
  const minimum = limit(issue.minimum ?? (typeof own.minimum === 'number' ? own.minimum : undefined));
  const maximum = limit(issue.maximum ?? (typeof own.maximum === 'number' ? own.maximum : undefined));
  if (isFieldErrorCode(issue.message)) {
    // A code whose English takes no parameters carries none ("required" from a .min(1)).
    if (FIELD_ERRORS[issue.message].length === 0) return fieldError(issue.message);
    return fieldError(issue.message, { ...(minimum !== undefined && { minimum }), ...(maximum !== undefined && { maximum }) });
  }
  const text = issue.origin === 'string';
  switch (issue.code) {
    case 'invalid_type':
      if (missing) return fieldError('required');
      return fieldError(['number', 'int', 'bigint'].includes(issue.expected ?? '') ? 'invalid_number' : 'invalid_value');
    case 'too_small':
      if (text) return minimum !== undefined && minimum <= 1 ? fieldError('required') : fieldError('too_short', { minimum });
      if (issue.origin === 'array' || issue.origin === 'set') return fieldError('too_few', { minimum });
      return fieldError('too_small', { minimum });
    case 'too_big':
      if (text) return fieldError('too_long', { maximum });
      if (issue.origin === 'array' || issue.origin === 'set') return fieldError('too_many', { maximum });
      return fieldError('too_large', { maximum });
    case 'invalid_format':
      if (issue.format === 'email') return fieldError('invalid_email');
      if (issue.format === 'uuid' || issue.format === 'guid') return fieldError('invalid_id');
      if (issue.format === 'datetime' || issue.format === 'date') return fieldError('choose_date');
      return fieldError('invalid_value');
    case 'invalid_value':
      return fieldError('invalid_choice');
    case 'not_multiple_of':
      return fieldError('invalid_number');
    default:
      return fieldError('invalid_value');
  }
}

/** The value at a path in what was sent (undefined when any step is missing). */
export function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v = input;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

/** Every issue of a failed parse, by field path ("languages.2"; "_body" for the whole input). */
export function fieldErrorsOf(issues: readonly IssueLike[], input: unknown, root = '_body'): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of issues) {
    const path = issue.path ?? [];
    const key = path.map(String).join('.') || root;
    const error = fieldErrorOf(issue, path.length > 0 && valueAt(input, path) === undefined);
    const list = (fields[key] ??= []);
    if (!list.some((e) => e.code === error.code)) list.push(error);
  }
  return fields;
}
