package com.acmebank.service;

import java.math.BigDecimal;

import com.acmebank.domain.Account;

/**
 * Business interface of the account session bean.
 */
public interface AccountService {

    Account getAccount(String accountId) throws ValidationException;

    Account deposit(String accountId, BigDecimal amount) throws ValidationException;

    Account withdraw(String accountId, BigDecimal amount) throws ValidationException;

    void closeAccount(String accountId) throws ValidationException;
}
