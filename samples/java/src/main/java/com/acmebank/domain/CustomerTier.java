package com.acmebank.domain;

/**
 * Relationship tier of the account holder; drives fee discounts.
 */
public enum CustomerTier {
    STANDARD,
    SILVER,
    GOLD,
    PLATINUM
}
