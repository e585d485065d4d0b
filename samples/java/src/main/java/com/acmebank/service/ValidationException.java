package com.acmebank.service;

/**
 * A request broke a business rule; the message is shown to the user.
 */
public class ValidationException extends Exception {

    private static final long serialVersionUID = 1L;

    public ValidationException(String message) {
        super(message);
    }
}
