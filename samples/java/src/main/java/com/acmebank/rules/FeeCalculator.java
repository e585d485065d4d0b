package com.acmebank.rules;

import java.math.BigDecimal;
import java.math.RoundingMode;

import com.acmebank.domain.Account;
import com.acmebank.domain.CustomerTier;

/**
 * Account fees: the monthly maintenance fee and the withdrawal fee.
 */
public class FeeCalculator {

    public static final BigDecimal MONTHLY_FEE = new BigDecimal("12.50");
    public static final BigDecimal MINIMUM_BALANCE = new BigDecimal("1000.00");
    public static final BigDecimal WITHDRAWAL_RATE = new BigDecimal("0.0150");
    private static final BigDecimal MAX_WITHDRAWAL_FEE = new BigDecimal("25.00");
    private static final BigDecimal HUNDRED = new BigDecimal("100");

    /** Discount on the monthly fee, in percent, by customer tier. */
    public int tierDiscountPercent(CustomerTier tier) {
        int percent;
        switch (tier) {
            case SILVER:
                percent = 25;
                break;
            case GOLD:
                percent = 50;
                break;
            case PLATINUM:
                percent = 100;
                break;
            default:
                percent = 0;
        }
        return percent;
    }

    /** Monthly fee after the tier discount; waived at or above the minimum balance. */
    public BigDecimal monthlyFee(Account account) {
        if (account.getBalance().compareTo(MINIMUM_BALANCE) >= 0) {
            return BigDecimal.ZERO;
        }
        BigDecimal percent = new BigDecimal(tierDiscountPercent(account.getTier()));
        BigDecimal discount = MONTHLY_FEE.multiply(percent)
                .divide(HUNDRED, 2, RoundingMode.HALF_UP);
        return MONTHLY_FEE.subtract(discount).setScale(2, RoundingMode.HALF_UP);
    }

    /** Withdrawal fee: a rate of the amount, capped; platinum customers pay none. */
    public BigDecimal withdrawalFee(BigDecimal amount, CustomerTier tier) {
        BigDecimal fee = amount.multiply(WITHDRAWAL_RATE).setScale(2, RoundingMode.HALF_UP);
        fee = fee.compareTo(MAX_WITHDRAWAL_FEE) > 0 ? MAX_WITHDRAWAL_FEE : fee;
        return tier == CustomerTier.PLATINUM ? BigDecimal.ZERO : fee;
    }
}
