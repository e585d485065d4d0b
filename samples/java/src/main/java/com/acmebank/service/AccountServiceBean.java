package com.acmebank.service;

import java.math.BigDecimal;

import javax.ejb.Stateless;

import com.acmebank.dao.AccountDao;
import com.acmebank.domain.Account;
import com.acmebank.rules.FeeCalculator;

/**
 * Account operations: validation, fees, balances and status changes.
 */
@Stateless
public class AccountServiceBean implements AccountService {

    private static final BigDecimal DAILY_LIMIT = new BigDecimal("5000.00");

    private AccountDao accountDao = new AccountDao();
    private FeeCalculator feeCalculator = new FeeCalculator();

    public Account getAccount(String accountId) throws ValidationException {
        Account account = accountDao.findById(accountId);
        if (account == null) {
            throw new ValidationException("Unknown account " + accountId);
        }
        return account;
    }

    public Account deposit(String accountId, BigDecimal amount) throws ValidationException {
        if (amount == null || amount.signum() <= 0) {
            throw new ValidationException("Deposit amount must be positive");
        }
        Account account = loadOpenAccount(accountId);
        account.setBalance(account.getBalance().add(amount));
        accountDao.updateBalance(account);
        accountDao.recordTransaction(accountId, "DEP", amount);
        return account;
    }

    public Account withdraw(String accountId, BigDecimal amount) throws ValidationException {
        if (amount == null || amount.signum() <= 0) {
            throw new ValidationException("Withdrawal amount must be positive");
        }
        if (amount.compareTo(DAILY_LIMIT) > 0) {
            throw new ValidationException("Withdrawal exceeds the daily limit");
        }
        Account account = loadOpenAccount(accountId);
        BigDecimal fee = feeCalculator.withdrawalFee(amount, account.getTier());
        BigDecimal total = amount.add(fee);
        if (account.getBalance().compareTo(total) < 0) {
            throw new ValidationException("Insufficient funds");
        }
        account.setBalance(account.getBalance().subtract(total));
        accountDao.updateBalance(account);
        accountDao.recordTransaction(accountId, "WDL", amount);
        if (fee.signum() > 0) {
            accountDao.recordTransaction(accountId, "FEE", fee);
        }
        return account;
    }

    public void closeAccount(String accountId) throws ValidationException {
        Account account = loadOpenAccount(accountId);
        if (account.getBalance().signum() < 0) {
            throw new ValidationException("An overdrawn account cannot be closed");
        }
        // a remaining credit balance is paid out first: the account waits for the payout
        account.setStatus(account.getBalance().signum() == 0 ? "CLOSED" : "PENDING_CLOSE");
        accountDao.updateStatus(account);
    }

    private Account loadOpenAccount(String accountId) throws ValidationException {
        Account account = getAccount(accountId);
        if (!account.getStatus().allowsTransactions()) {
            throw new ValidationException("Account " + accountId + " is "
                    + account.getStatus().getLabel());
        }
        return account;
    }
}
