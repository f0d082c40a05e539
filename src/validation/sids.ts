/** Twilio SID formats: two capital letters naming the kind, then 32 hex digits. */

export const ACCOUNT_SID_PATTERN = /^AC[0-9a-fA-F]{32}$/;
export const API_KEY_SID_PATTERN = /^SK[0-9a-fA-F]{32}$/;
export const PHONE_NUMBER_SID_PATTERN = /^PN[0-9a-fA-F]{32}$/;
export const MESSAGING_SERVICE_SID_PATTERN = /^MG[0-9a-fA-F]{32}$/;
