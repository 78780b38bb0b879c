package io.crmhistory.api.customer.query;

/** What a history item records. */
public enum HistoryItemType {
    REGISTERED, PROFILE_UPDATED, CONTACT, PURCHASE, REFUND, STATUS_CHANGED, SEGMENT_CHANGED, PERSONAL_DATA_ERASED
}
