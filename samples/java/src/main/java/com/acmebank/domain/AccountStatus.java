package com.acmebank.domain;

/**
 * Life cycle of a deposit account. Stored in ACCOUNT.STATUS as the constant's name.
 */
public enum AccountStatus {
    OPEN("Open"),
    FROZEN("Frozen"),
    PENDING_CLOSE("Pending close"),
    CLOSED("Closed"),
    DORMANT("Dormant");

    private final String label;

    AccountStatus(String label) {
        this.label = label;
    }

    public String getLabel() {
        return label;
    }

    /** Money may only move on an open account. */
    public boolean allowsTransactions() {
        return this == OPEN;
    }
}
