/**
 * The schemas the API contract names. The server gives each its key as id, so server/openapi.json
 * declares them once under components/schemas and refers to them ($ref) from every route; the web's
 * generated types (web/src/lib/server/api/schema.d.ts) then read `components['schemas']['Booking']`.
 * A schema used as a request body is also named with the suffix "Input" (its form before defaults
 * and transforms: fields with a default are optional there).
 *
 * Only bodies, answers and the objects inside them are named: query, path and header schemas
 * become OpenAPI parameters, which are listed field by field. An alias (`PlanBody = PlanParams`)
 * is named once, under the canonical name.
 */
import type { z } from 'zod';
import { AllocationTotals, ClassAllocation, ClassWeights } from '../patronage/schemas.js';
import {
  AuthResult, ChangePasswordBody, PasswordResetBody, PasswordResetRequestBody, RefreshBody, SignInBody, SignUpBody,
  User, UserCoopMembership, VerifyEmailBody, Waiting,
} from './auth.js';
import {
  ChangeEmailBody, ConfirmEmailChangeBody, DeviceSession, DeviceSessionList, EmailChanged, RevokedSessions, UpdateMeBody,
} from './account.js';
import {
  AcceptBody, AssignWorkersBody, Booking, BookingEvent, BookingLine, BookingList, CompleteBody, CreateBookingBody, DateExceptionSchema,
  OptionalReasonBody, ReasonBody, ReplyBody, RescheduleBody, Review, ReviewBody, ReviewList, Schedule, ScheduleBody,
  SlotsResult, WeeklyRuleSchema,
} from './bookings.js';
import { ErrorBody, OkBody } from './common.js';
import {
  CreateSeriesBody, Series, SeriesChangeBody, SeriesChangePreview, SeriesChoice, SeriesDeclineBody, SeriesEndBody, SeriesEvent, SeriesGap, SeriesGapBody, SeriesList,
  SeriesPauseBody, SeriesStopPreview, SeriesPreview, SeriesPreviewVisit, SeriesResumeBody, SeriesRoom, SeriesRuleView, SeriesSummary, SeriesVisit,
} from './series.js';
import {
  Coop, CoopList, CoopMember, CoopMemberList, CoopProfileBody, Invitation, InvitationPreview, InviteBody, RejectBody,
  UpdateCoopBody,
} from './coops.js';
import { Category, CreateListingBody, Listing, ListingCoop, ListingList, SearchResult, Taxonomy, UpdateListingBody } from './listings.js';
import {
  CapitalMovement, CoopSettings, CreateFiscalYearBody, CreateMembershipBody, CreateProposalBody, EndMembershipBody,
  Explanation, FiscalRecord, FiscalRecordBody, FiscalRecordList, FiscalYear, FiscalYearList, MemberRegister, Membership,
  MembershipCheckoutBody, MembershipCheckoutResult, MyMembership, MyMemberships, PlanParams, PlanPayment,
  PlanVariationBody, PlanView, Proposal, ProposalList, ProposalResults, ProposeBody, SimulateBody, SimulationColumn,
  SimulationResult, Statement, StatementList, TransparencyReport, TransparencyYear, UpdateCoopSettingsBody,
  UpdatePlanBody, VoteBody, VoteReceipt, YearFigures,
} from './patronage-api.js';
import { SavedCardResult, SavedCardView, SetupCardBody, SetupCardResult, ConfirmCardBody, ConfirmedCardResult,
  CheckoutResult, Earnings, FeeRate, FeeSchedule, LedgerCheckResult, MoneyBreakdown, OnboardingLink, PaymentAccount,
  PaymentSummary, ReconciliationResult, RefundView, SetFeeRateBody, StewardRefundBody, TaxSettingsBody, MoneyToReturn,
} from './payments.js';
import { CalendarFeed, CalendarFeedList, ResetCalendarFeedBody } from './feeds.js';
import { DataExport, DataExportList } from './data-exports.js';
import { ConfirmMinutesBody, ReportMinutesBody, Visit, VisitList, VisitMinutes } from './visits.js';
import {
  ConversationList, ConversationSummary, ConversationView, FeedItem, Message, MessageOffer, MessageReport,
  PostMessageBody, ReportMessageBody, StartConversationBody,
} from './conversations.js';
import { AccountDeletionCheck, DeleteAccountBody, PrivacyContact } from './privacy.js';
import { Photo, PhotoList, PhotoOrderBody, PhotoSource, UpdatePhotoBody, UploadCoopImageBody, UploadListingPhotoBody } from './photos.js';
import {
  AcceptQuoteBody, CreateOfferBody, CreateQuoteBody, OfferLine, OfferLineBody, PaymentPartView, PreferredDate, Quote, QuoteEvent,
  QuoteLine, QuoteList, QuoteOffer,
} from './quotes.js';
import { AssignmentChoices, TeamSettings, TeamSettingsBody, TimeOff, TimeOffBody, TimeOffClash, TimeOffList, Unavailability } from './team.js';

export const NAMED_SCHEMAS = {
  // common
  ErrorBody, OkBody,
  // accounts
  SignUpBody, SignInBody, RefreshBody, UpdateMeBody, ChangePasswordBody, PasswordResetRequestBody, PasswordResetBody,
  VerifyEmailBody, UserCoopMembership, User, Waiting, AuthResult,
  // the account page
  ChangeEmailBody, ConfirmEmailChangeBody, EmailChanged, DeviceSession, DeviceSessionList, RevokedSessions,
  // co-ops
  CoopProfileBody, UpdateCoopBody, RejectBody, InviteBody, Coop, CoopList, CoopMember, Invitation, CoopMemberList,
  InvitationPreview,
  // listings
  CreateListingBody, UpdateListingBody, ListingCoop, Listing, ListingList, SearchResult, Category, Taxonomy,
  // photos
  PhotoSource, Photo, PhotoList, UploadListingPhotoBody, UploadCoopImageBody, UpdatePhotoBody, PhotoOrderBody,
  // schedules and bookings
  WeeklyRule: WeeklyRuleSchema, DateException: DateExceptionSchema, ScheduleBody, Schedule, SlotsResult,
  CreateBookingBody, AcceptBody, ReasonBody, OptionalReasonBody, RescheduleBody, AssignWorkersBody, CompleteBody,
  BookingEvent, Booking, BookingLine, BookingList,
  // regular visits
  CreateSeriesBody, SeriesChoice, SeriesPreviewVisit, SeriesPreview, SeriesRule: SeriesRuleView, SeriesVisit, SeriesGap, SeriesEvent, Series, SeriesSummary,
  SeriesList, SeriesRoom, SeriesDeclineBody, SeriesChangeBody, SeriesChangePreview, SeriesPauseBody, SeriesStopPreview, SeriesResumeBody, SeriesEndBody, SeriesGapBody,
  // reviews
  ReviewBody, ReplyBody, Review, ReviewList,
  // payments
  SetFeeRateBody, TaxSettingsBody, StewardRefundBody, FeeRate, FeeSchedule, PaymentAccount, OnboardingLink,
  MoneyBreakdown, RefundView, PaymentSummary, CheckoutResult, LedgerCheckResult, ReconciliationResult, MoneyToReturn, Earnings,
  SavedCardView, SavedCardResult, SetupCardBody, SetupCardResult, ConfirmCardBody, ConfirmedCardResult,
  // a worker's visits and minutes
  Visit, VisitList, VisitMinutes, ReportMinutesBody, ConfirmMinutesBody,
  // calendar feeds
  CalendarFeed, CalendarFeedList, ResetCalendarFeedBody,
  // conversations (HideMessageBody is ReportMessageBody: named once)
  StartConversationBody, PostMessageBody, ReportMessageBody, MessageOffer, Message, FeedItem, ConversationSummary,
  ConversationList, MessageReport, ConversationView,
  // membership and settings
  CoopSettings, UpdateCoopSettingsBody, CreateMembershipBody, EndMembershipBody, MembershipCheckoutBody, CapitalMovement,
  Membership, MemberRegister, MyMembership, MyMemberships, MembershipCheckoutResult,
  // fiscal years
  CreateFiscalYearBody, FiscalRecordBody, YearFigures, FiscalYear, FiscalYearList, FiscalRecord, FiscalRecordList,
  // surplus plans
  ClassWeights, PlanParams, UpdatePlanBody, PlanVariationBody, SimulateBody, ProposeBody, ClassAllocation,
  AllocationTotals, SimulationColumn, SimulationResult, PlanView, PlanPayment,
  // assembly
  CreateProposalBody, VoteBody, ProposalResults, Proposal, ProposalList, VoteReceipt,
  // statements and transparency
  Explanation, Statement, StatementList, TransparencyYear, TransparencyReport,
  // the team's day
  TimeOffBody, TimeOffClash, TimeOff, TimeOffList, TeamSettings, TeamSettingsBody, Unavailability, AssignmentChoices,
  // download my data
  DataExport, DataExportList,
  // deleting one's account, the privacy page
  AccountDeletionCheck, DeleteAccountBody, PrivacyContact,
  // quotes
  PreferredDate, CreateQuoteBody, OfferLineBody, CreateOfferBody, AcceptQuoteBody, PaymentPartView, OfferLine, QuoteOffer,
  QuoteEvent, Quote, QuoteLine, QuoteList,
} satisfies Record<string, z.ZodType>;
