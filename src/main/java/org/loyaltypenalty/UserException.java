package org.loyaltypenalty;

/**
 * A problem with what the user gave us (a path, a format, a config key, a missing column), as
 * opposed to a bug. The command line prints {@link #getMessage()} as one line and exits with
 * code {@value #EXIT_CODE}. Build instances through {@link Errors}, never directly, so that
 * every message says what went wrong and how to fix it.
 */
public final class UserException extends RuntimeException {
  public static final int EXIT_CODE = 2;

  UserException(String message) {
    super(message);
  }
}
