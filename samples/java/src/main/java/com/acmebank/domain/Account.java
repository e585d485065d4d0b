package com.acmebank.domain;

import java.io.Serializable;
import java.math.BigDecimal;
import java.util.Date;

/**
 * A deposit account as read from the ACCOUNT table.
 */
public class Account implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final long MILLIS_PER_DAY = 24L * 60 * 60 * 1000;

    private String accountId;
    private BigDecimal balance = BigDecimal.ZERO;
    private AccountStatus status = AccountStatus.OPEN;
    private CustomerTier tier = CustomerTier.STANDARD;
    private Date lastActivity;

    public Account(String accountId) {
        this.accountId = accountId;
    }

    public String getAccountId() {
        return accountId;
    }

    public BigDecimal getBalance() {
        return balance;
    }

    public void setBalance(BigDecimal balance) {
        this.balance = balance;
    }

    public AccountStatus getStatus() {
        return status;
    }

    public void setStatus(AccountStatus status) {
        this.status = status;
    }

    /** Form and JDBC binding: the status arrives as its code. */
    public void setStatus(String code) {
        this.status = AccountStatus.valueOf(code);
    }

    public CustomerTier getTier() {
        return tier;
    }

    public void setTier(CustomerTier tier) {
        this.tier = tier;
    }

    public Date getLastActivity() {
        return lastActivity;
    }

    public void setLastActivity(Date lastActivity) {
        this.lastActivity = lastActivity;
    }

    /** Whole days since the last posted transaction (0 when there was none). */
    public long getDaysSinceActivity() {
        if (lastActivity == null) {
            return 0;
        }
        return (System.currentTimeMillis() - lastActivity.getTime()) / MILLIS_PER_DAY;
    }
}
