package com.acmebank.batch;

import java.math.BigDecimal;
import java.util.List;

import com.acmebank.dao.AccountDao;
import com.acmebank.domain.Account;
import com.acmebank.domain.AccountStatus;
import com.acmebank.rules.FeeCalculator;

/**
 * Month-end run: charges the monthly fee on open accounts and marks idle ones dormant.
 */
public class MonthEndBatch {

    private static final int DORMANT_AFTER_DAYS = 365;

    private final AccountDao accountDao;
    private final FeeCalculator feeCalculator = new FeeCalculator();
    private int charged;
    private int dormant;

    public MonthEndBatch(AccountDao accountDao) {
        this.accountDao = accountDao;
    }

    public static void main(String[] args) {
        MonthEndBatch batch = new MonthEndBatch(new AccountDao());
        batch.run();
        System.out.println("fees charged: " + batch.charged + ", now dormant: " + batch.dormant);
    }

    public void run() {
        List<Account> accounts = accountDao.findByStatus(AccountStatus.OPEN.name(), null);
        for (Account account : accounts) {
            chargeMonthlyFee(account);
            if (account.getDaysSinceActivity() > DORMANT_AFTER_DAYS) {
                account.setStatus(AccountStatus.DORMANT);
                accountDao.updateStatus(account);
                dormant++;
            }
        }
    }

    private void chargeMonthlyFee(Account account) {
        BigDecimal fee = feeCalculator.monthlyFee(account);
        if (fee.signum() > 0) {
            account.setBalance(account.getBalance().subtract(fee));
            accountDao.updateBalance(account);
            accountDao.recordTransaction(account.getAccountId(), "FEE", fee);
            charged++;
        }
    }
}
