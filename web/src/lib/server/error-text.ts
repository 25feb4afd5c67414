/**
 * The API's error codes (shared/errors.ts) in the user's language: the one table every form action
 * goes through. It reads codes and their limits, never the API's English, so rewording a server
 * message changes nothing here; a code added to the catalogue without words is a type error.
 */
import { formatMoney, numberFormat, OPEN_BOOKINGS_PER_CLIENT, OPEN_BOOKINGS_PER_LISTING, type ErrorCode, type FieldError, type FieldErrorCode } from '@tissu/shared';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { calendarDate } from '$lib/patronage-text';

const money = (cents = 0) => formatMoney(cents, getLocale());
const percent = (bps = 0) => numberFormat(getLocale(), { maximumFractionDigits: 2 }).format(bps / 100);
const limit = (n = 0) => n;

/** Each field error code with its words; the limits come with the error. */
export const FIELD_TEXT: { readonly [C in FieldErrorCode]: (e: FieldError) => string } = {
  required: () => m.err_required(),
  too_short: (e) => m.err_min_chars({ count: limit(e.minimum) }),
  too_long: (e) => m.err_max_chars({ count: limit(e.maximum) }),
  too_small: (e) => m.err_number_min({ min: limit(e.minimum) }),
  too_large: (e) => m.err_number_max({ max: limit(e.maximum) }),
  too_few: (e) => m.err_too_few({ min: limit(e.minimum) }),
  too_many: (e) => m.err_too_many({ max: limit(e.maximum) }),
  invalid_number: () => m.err_number(),
  invalid_choice: () => m.err_choice(),
  invalid_value: () => m.err_invalid(),
  invalid_id: () => m.steward_members_err_id(),
  invalid_email: () => m.err_email(),
  invalid_phone: () => m.err_phone(),
  choose_date: () => m.err_choose_date(),
  implausible_date: () => m.err_implausible_date(),
  date_in_future: () => m.err_date_future(),
  invalid_idempotency_key: () => m.err_bad_request(),
  nothing_to_change: () => m.err_nothing_to_change(),
  invalid_link: () => m.err_reset_link_invalid(),
  wrong_password: () => m.err_wrong_password(),
  password_blank: () => m.err_password_blank(),
  neq_digits: () => m.err_neq(),
  choose_region: () => m.err_region(),
  choose_language: () => m.err_languages(),
  invalid_year: () => m.err_year(),
  year_too_early: () => m.err_year_min(),
  year_in_future: () => m.err_year_future(),
  invalid_coop: () => m.err_invalid(),
  already_member: () => m.err_already_member(),
  already_invited: () => m.err_already_invited(),
  invited_too_often: (e) => m.err_invited_too_often({ max: limit(e.maximum) }),
  choose_category: () => m.err_category(),
  invalid_amount: () => m.err_price_format(),
  price_too_low: (e) => m.err_price_min({ amount: money(e.minimum) }),
  price_too_high: (e) => m.err_price_max({ amount: money(e.maximum) }),
  amount_too_small: (e) => m.err_amount_min({ amount: money(e.minimum) }),
  amount_too_large: (e) => m.err_amount_max({ amount: money(e.maximum) }),
  invalid_minutes: () => m.err_minutes(),
  duration_too_short: () => m.err_duration_min(),
  duration_too_long: () => m.err_duration_max(),
  choose_borough: () => m.err_boroughs(),
  solidarity_not_lower: () => m.err_solidarity_lower(),
  below_minimum_price: () => m.err_max_below_min(),
  invalid_cursor: () => m.err_invalid(),
  cursor_sort_mismatch: () => m.err_invalid(),
  invalid_time: () => m.err_hhmm(),
  unknown_time_zone: () => m.err_time_zone(),
  end_before_start: () => m.err_closing_after_opening(),
  time_skipped: () => m.team_err_time_skipped(),
  both_times_or_neither: () => m.err_both_times(),
  extra_hours_need_times: () => m.err_extra_needs_times(),
  day_passed: () => m.err_day_passed(),
  range_too_long: (e) => m.err_range_too_long({ max: limit(e.maximum) }),
  choose_slot: () => m.err_choose_slot(),
  address_required: () => m.err_address_required(),
  no_solidarity_rate: () => m.err_no_solidarity_rate(),
  solidarity_choice_required: () => m.err_solidarity_choice(),
  assign_first: () => m.err_assign_first(),
  not_coop_member: () => m.err_not_member(),
  reason_for_extra_minutes: (e) => m.err_reason_extra_minutes({ max: limit(e.maximum) }),
  minutes_over_booking: (e) => m.err_minutes_over_booking({ max: limit(e.maximum) }),
  reason_for_correction: () => m.err_reason_for_correction(),
  percent_too_low: (e) => m.err_percent_min({ percent: percent(e.minimum) }),
  percent_too_high: (e) => m.err_percent_max({ percent: percent(e.maximum) }),
  gst_format: () => m.err_gst_format(),
  qst_format: () => m.err_qst_format(),
  tax_number_required: () => m.err_tax_number_required(),
  rate_in_past: () => m.err_rate_in_past(),
  fee_rate_exists: () => m.err_rate_exists_at_start(),
  refund_above_left: (e) => m.err_refund_left({ amount: money(e.maximum) }),
  producer_is_coop: () => m.steward_members_err_choose_coop(),
  coop_only_producer: () => m.err_coop_only_producer(),
  choose_person: () => m.steward_members_err_choose_person(),
  person_or_coop: () => m.steward_members_err_choose_person(),
  no_such_coop: () => m.steward_members_err_choose_coop(),
  no_such_person: () => m.steward_members_err_no_person(),
  coop_not_approved: () => m.err_coop_not_approved(),
  worker_not_in_member_coop: () => m.steward_members_err_not_eligible(),
  membership_start_in_future: () => m.steward_members_err_future(),
  end_before_membership_start: () => m.steward_members_err_end_before(),
  month_day_format: () => m.steward_fiscal_err_month_day(),
  reserve_required_when_applies: () => m.err_reserve_required_when_applies(),
  payment_deadline_passed: () => m.steward_fiscal_err_deadline_passed(),
  year_too_far_ahead: (e) => m.steward_fiscal_err_too_far_ahead({ date: e.date ? calendarDate(e.date) : '' }),
  no_fiscal_year: () => m.steward_fiscal_err_no_year(),
  weights_not_100: () => m.steward_patronage_err_weights(),
  duplicate_member: () => m.err_invalid(),
  too_many_units: () => m.err_invalid(),
  close_before_open: () => m.steward_assembly_err_close_after_open(),
  close_in_past: () => m.steward_assembly_err_close_future(),
  frequency_not_offered: () => m.series_err_frequency(),
  weekday_start: () => m.series_err_weekday_start(),
  until_or_count: () => m.series_err_until_or_count(),
  series_too_long: (e) => m.series_err_too_long({ date: e.date ? calendarDate(e.date) : '' }),
  too_few_visits: (e) => m.series_err_too_few({ minimum: String(e.minimum ?? 2) }),
  visit_not_free: (e) => m.series_err_visit_not_free({ date: e.date ? calendarDate(e.date) : '' }),
  not_a_visit_date: () => m.series_err_not_a_visit_date(),
  move_too_far: () => m.series_err_move_too_far(),
  not_a_listed_time: () => m.series_err_not_a_listed_time(),
  after_series_end: (e) => m.series_err_after_end({ date: e.date ? calendarDate(e.date) : '' }),
  change_too_far_ahead: (e) => m.series_err_change_too_far({ date: e.date ? calendarDate(e.date) : '' }),
  rate_before_vote_end: () => m.steward_assembly_err_rate_after_vote(),
  choose_membership: () => m.err_choose_membership(),
  offer_inquiry_only: () => m.conv_err_offer_inquiry_only(),
  not_coop_listing: () => m.conv_err_not_coop_listing(),
  time_in_past: () => m.conv_err_time_in_past(),
  not_your_conversation: () => m.conv_err_not_your_conversation(),
  ends_in_past: () => m.team_err_ends_in_past(),
  time_off_too_long: (e) => m.team_err_too_long({ max: limit(e.maximum) }),
  worker_away: () => m.team_err_field_away(),
  worker_busy: () => m.team_err_field_busy(),
  reason_for_removal: () => m.team_err_reason_for_removal(),
};

/** The web's own API client's code when the API cannot be reached (its other codes go by status). */
export type WebErrorCode = 'api_unreachable';

/** Each code of a whole answer with its sentence. */
export const ERROR_TEXT: { readonly [C in ErrorCode | WebErrorCode]: () => string } = {
  validation_failed: () => m.form_has_errors(),
  bad_request: () => m.form_has_errors(),
  uri_too_long: () => m.err_bad_request(),
  payload_too_large: () => m.err_bad_request(),
  unsupported_media_type: () => m.err_bad_request(),
  invalid_signature: () => m.err_bad_request(),
  invalid_event: () => m.err_bad_request(),
  idempotency_key_reused: () => m.err_conflict(),
  request_in_progress: () => m.err_conflict(),
  unauthorized: () => m.err_unauthorized(),
  invalid_credentials: () => m.err_invalid_credentials(),
  invalid_token: () => m.err_unauthorized(),
  token_expired: () => m.err_unauthorized(),
  session_revoked: () => m.err_unauthorized(),
  invalid_refresh_token: () => m.err_unauthorized(),
  sign_in_delayed: () => m.err_sign_in_delayed(),
  email_not_verified: () => m.err_email_not_verified(),
  invalid_reset_link: () => m.err_reset_link_invalid(),
  invalid_verification_link: () => m.err_verification_link_invalid(),
  forbidden: () => m.err_forbidden(),
  not_found: () => m.err_not_found(),
  conflict: () => m.err_conflict(),
  rate_limited: () => m.err_rate_limited(),
  busy: () => m.err_busy(),
  internal: () => m.err_server(),
  database_unavailable: () => m.err_server(),
  payment_processor_unavailable: () => m.err_processor_unavailable(),
  not_pending: () => m.err_not_pending(),
  coop_not_approved: () => m.err_coop_not_approved(),
  already_member: () => m.err_already_member(),
  already_invited: () => m.err_already_invited_long(),
  invitation_used: () => m.invitation_already_accepted(),
  invitation_gone: () => m.err_invitation_gone(),
  last_admin: () => m.err_last_admin(),
  too_many_pending_applications: () => m.err_too_many_pending_applications(),
  too_many_open_invitations: () => m.err_too_many_open_invitations(),
  listing_archived: () => m.err_listing_archived(),
  listing_paused: () => m.err_listing_paused(),
  slot_unavailable: () => m.err_slot_unavailable(),
  open_bookings_on_listing: () => m.err_open_bookings_on_listing({ count: OPEN_BOOKINGS_PER_LISTING }),
  open_bookings_limit: () => m.err_open_bookings_limit({ count: OPEN_BOOKINGS_PER_CLIENT }),
  fee_rate_exists: () => m.err_fee_rate_exists(),
  coop_not_ready: () => m.err_coop_not_ready(),
  invalid_transition: () => m.err_invalid_transition(),
  booking_not_started: () => m.err_booking_not_started(),
  visit_not_started: () => m.err_visit_not_started(),
  minutes_already_confirmed: () => m.err_minutes_already_confirmed(),
  payment_in_progress: () => m.err_conflict(),
  already_paid: () => m.err_already_paid(),
  not_payable: () => m.err_not_payable(),
  refund_too_large: () => m.err_nothing_to_refund(),
  nothing_to_refund: () => m.err_nothing_to_refund(),
  not_completed: () => m.err_not_completed(),
  already_reviewed: () => m.err_already_reviewed(),
  already_replied: () => m.err_already_replied(),
  series_not_offered: () => m.series_err_not_offered(),
  series_needs_choices: () => m.series_err_needs_choices(),
  series_limit: () => m.series_err_limit(),
  series_exists: () => m.series_err_exists(),
  request_lapsed: () => m.series_err_request_lapsed(),
  preview_changed: () => m.series_err_preview_changed(),
  not_eligible: () => m.steward_members_err_not_eligible(),
  already_ended: () => m.steward_members_err_already_ended(),
  share_payment_pending: () => m.membership_err_pending(),
  overlapping_year: () => m.steward_fiscal_err_overlap(),
  payment_deadline_passed: () => m.steward_fiscal_err_deadline_passed(),
  year_closing: () => m.steward_fiscal_err_year_closing(),
  year_closed: () => m.steward_fiscal_err_year_closed(),
  year_not_over: () => m.steward_fiscal_err_not_over(),
  already_closed: () => m.steward_fiscal_err_already_closed(),
  year_open: () => m.steward_patronage_err_year_open(),
  plan_frozen: () => m.steward_patronage_err_frozen(),
  plan_exists: () => m.steward_patronage_err_exists(),
  not_approved: () => m.err_conflict(),
  vote_not_open: () => m.assembly_err_not_open(),
  already_voted: () => m.assembly_err_already_voted(),
  already_decided: () => m.steward_assembly_err_decided(),
  vote_still_open: () => m.steward_assembly_err_still_open(),
  already_reported: () => m.conv_err_already_reported(),
  worker_away: () => m.team_err_away(),
  worker_busy: () => m.team_err_busy(),
  time_off_overlap: () => m.team_err_overlap(),
  time_off_over: () => m.team_err_over(),
  api_unreachable: () => m.err_unreachable(),
};

/** What a form may say in its own words instead of the table's (the same code means more there). */
export type OwnWords = Partial<Record<ErrorCode, () => string>>;

/** One field error in the user's language. */
export function fieldText(e: FieldError): string {
  return FIELD_TEXT[e.code](e);
}

/**
 * A refusal of the API in the user's language: its code's sentence, or, for a code this web does
 * not know (an API newer than the web), what its HTTP status means.
 */
export function errorText(code: string, status: number, own: OwnWords = {}): string {
  const words = own[code as ErrorCode] ?? (Object.hasOwn(ERROR_TEXT, code) ? ERROR_TEXT[code as ErrorCode | WebErrorCode] : undefined);
  if (words) return words();
  if (status === 400 || status === 422) return m.form_has_errors();
  if (status === 401) return m.err_unauthorized();
  if (status === 403) return m.err_forbidden();
  if (status === 404) return m.err_not_found();
  if (status === 409) return m.err_conflict();
  if (status === 429) return m.err_rate_limited();
  return m.err_server();
}
