import { MESSAGE_MAX_LENGTH, REPORT_MAX_LENGTH, numberFormat } from '@tissu/shared';
import { getLocale } from '$lib/paraglide/runtime';

/**
 * The contract's length limits, stated on the forms. They reach the pages as data: importing them
 * in a component would ship the contract's module, zod and all, to the browser.
 */
export interface ConversationLimits {
  message: number;
  report: number;
  /** The message limit in the reader's words ("4 000"). */
  messageText: string;
}
export function conversationLimits(): ConversationLimits {
  return { message: MESSAGE_MAX_LENGTH, report: REPORT_MAX_LENGTH, messageText: numberFormat(getLocale()).format(MESSAGE_MAX_LENGTH) };
}
