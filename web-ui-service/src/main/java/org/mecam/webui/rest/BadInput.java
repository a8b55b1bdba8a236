package org.mecam.webui.rest;

/** Invalid client input; answered with 400 and this message. */
public final class BadInput extends RuntimeException {
  public BadInput(String message) {
    super(message);
  }
}
