package com.acmebank.web;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.servlet.ServletException;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import com.acmebank.domain.Account;
import com.acmebank.service.AccountService;
import com.acmebank.service.ValidationException;

/**
 * Teller screen: shows an account and posts deposits, withdrawals and closures.
 */
public class AccountServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private AccountService accountService;

    public void init() throws ServletException {
        try {
            accountService = (AccountService) new InitialContext()
                    .lookup("java:comp/env/ejb/AccountService");
        } catch (NamingException e) {
            throw new ServletException("ejb/AccountService is not bound", e);
        }
    }

    protected void doGet(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        String view = "/account.jsp";
        try {
            request.setAttribute("account",
                    accountService.getAccount(request.getParameter("accountId")));
        } catch (ValidationException e) {
            request.setAttribute("error", e.getMessage());
            view = "/error.jsp";
        }
        request.getRequestDispatcher(view).forward(request, response);
    }

    protected void doPost(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        String action = request.getParameter("action");
        String accountId = request.getParameter("accountId");
        String view = "/account.jsp";
        try {
            if ("deposit".equals(action)) {
                Account account = accountService.deposit(accountId, parseAmount(request));
                request.setAttribute("account", account);
            } else if ("withdraw".equals(action)) {
                Account account = accountService.withdraw(accountId, parseAmount(request));
                request.setAttribute("account", account);
            } else if ("close".equals(action)) {
                accountService.closeAccount(accountId);
                view = "/closed.jsp";
            } else {
                response.sendError(HttpServletResponse.SC_BAD_REQUEST, "Unknown action " + action);
                return;
            }
        } catch (ValidationException e) {
            request.setAttribute("error", e.getMessage());
            view = "/error.jsp";
        }
        request.getRequestDispatcher(view).forward(request, response);
    }

    private BigDecimal parseAmount(HttpServletRequest request) throws ValidationException {
        String raw = request.getParameter("amount");
        if (raw == null || raw.trim().length() == 0) {
            throw new ValidationException("Amount is required");
        }
        try {
            return new BigDecimal(raw.trim()).setScale(2, RoundingMode.HALF_UP);
        } catch (NumberFormatException e) {
            throw new ValidationException("Amount is not a number: " + raw);
        }
    }
}
