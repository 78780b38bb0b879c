package io.crmhistory.api.customer;

/** The channel a contact or purchase went through. */
public enum ContactChannel {
    EMAIL, PHONE, MEETING, CHAT, SMS, SOCIAL, WEB, OTHER
}
