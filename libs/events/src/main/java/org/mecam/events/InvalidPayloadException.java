package org.mecam.events;

/** Says why a message does not satisfy the contract; the reason goes to the dead-letter topic verbatim. */
public final class InvalidPayloadException extends Exception {
  public InvalidPayloadException(String reason) {
    super(reason, null, false, false);
  }

  public String reason() {
    return getMessage();
  }
}
