package com.acmebank.dao;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

import com.acmebank.domain.Account;
import com.acmebank.domain.CustomerTier;

/**
 * JDBC access to the ACCOUNT and TXN_HISTORY tables.
 */
public class AccountDao {

    private static final String FIND_BY_ID =
            "SELECT ACCOUNT_ID, BALANCE, STATUS, TIER, LAST_ACTIVITY FROM ACCOUNT"
            + " WHERE ACCOUNT_ID = ?";
    private static final String UPDATE_BALANCE =
            "UPDATE ACCOUNT SET BALANCE = ?, LAST_ACTIVITY = CURRENT_TIMESTAMP"
            + " WHERE ACCOUNT_ID = ?";
    private static final String INSERT_TXN =
            "INSERT INTO TXN_HISTORY (ACCOUNT_ID, TXN_TYPE, AMOUNT, POSTED_AT)"
            + " VALUES (?, ?, ?, CURRENT_TIMESTAMP)";

    private final DataSource dataSource;

    public AccountDao() {
        this(lookupDataSource());
    }

    public AccountDao(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    private static DataSource lookupDataSource() {
        try {
            return (DataSource) new InitialContext().lookup("java:comp/env/jdbc/BankDB");
        } catch (NamingException e) {
            throw new IllegalStateException("jdbc/BankDB is not bound", e);
        }
    }

    public Account findById(String accountId) {
        Connection conn = null;
        PreparedStatement ps = null;
        ResultSet rs = null;
        try {
            conn = dataSource.getConnection();
            ps = conn.prepareStatement(FIND_BY_ID);
            ps.setString(1, accountId);
            rs = ps.executeQuery();
            if (!rs.next()) {
                return null;
            }
            return toAccount(rs);
        } catch (SQLException e) {
            throw new IllegalStateException("Reading account " + accountId + " failed", e);
        } finally {
            close(rs, ps, conn);
        }
    }

    public List<Account> findByStatus(String status, CustomerTier tier) {
        StringBuffer sql = new StringBuffer(
                "SELECT A.ACCOUNT_ID, A.BALANCE, A.STATUS, A.TIER, A.LAST_ACTIVITY FROM ACCOUNT A");
        sql.append(" JOIN CUSTOMER C ON C.CUSTOMER_ID = A.CUSTOMER_ID");
        sql.append(" WHERE A.STATUS = ?");
        if (tier != null) {
            sql.append(" AND A.TIER = ?");
        }
        List<Account> accounts = new ArrayList<Account>();
        Connection conn = null;
        PreparedStatement ps = null;
        ResultSet rs = null;
        try {
            conn = dataSource.getConnection();
            ps = conn.prepareStatement(sql.toString());
            ps.setString(1, status);
            if (tier != null) {
                ps.setString(2, tier.name());
            }
            rs = ps.executeQuery();
            while (rs.next()) {
                accounts.add(toAccount(rs));
            }
            return accounts;
        } catch (SQLException e) {
            throw new IllegalStateException("Listing " + status + " accounts failed", e);
        } finally {
            close(rs, ps, conn);
        }
    }

    public void updateBalance(Account account) {
        execute(UPDATE_BALANCE, account.getBalance(), account.getAccountId());
    }

    public void updateStatus(Account account) {
        execute("UPDATE ACCOUNT SET STATUS = ? WHERE ACCOUNT_ID = ?",
                account.getStatus().name(), account.getAccountId());
    }

    public void recordTransaction(String accountId, String type, BigDecimal amount) {
        execute(INSERT_TXN, accountId, type, amount);
    }

    private void execute(String sql, Object... values) {
        Connection conn = null;
        PreparedStatement ps = null;
        try {
            conn = dataSource.getConnection();
            ps = conn.prepareStatement(sql);
            for (int i = 0; i < values.length; i++) {
                ps.setObject(i + 1, values[i]);
            }
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Update failed: " + sql, e);
        } finally {
            close(null, ps, conn);
        }
    }

    private Account toAccount(ResultSet rs) throws SQLException {
        Account account = new Account(rs.getString("ACCOUNT_ID"));
        account.setBalance(rs.getBigDecimal("BALANCE"));
        account.setStatus(rs.getString("STATUS"));
        account.setTier(CustomerTier.valueOf(rs.getString("TIER")));
        account.setLastActivity(rs.getTimestamp("LAST_ACTIVITY"));
        return account;
    }

    private void close(ResultSet rs, Statement st, Connection conn) {
        try {
            if (rs != null) {
                rs.close();
            }
            if (st != null) {
                st.close();
            }
            if (conn != null) {
                conn.close();
            }
        } catch (SQLException e) {
            // nothing left to do for a connection that will not close
        }
    }
}
