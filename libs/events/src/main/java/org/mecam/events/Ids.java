package org.mecam.events;

import java.util.UUID;

/** Creates the unique ids that messages, events and media carry. */
public final class Ids {
  private Ids() {}

  /** A random (version 4) UUID in its canonical text form. */
  public static String newId() {
    return UUID.randomUUID().toString();
  }
}
