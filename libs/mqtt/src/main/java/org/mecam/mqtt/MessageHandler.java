package org.mecam.mqtt;

/** Processes one received message; returning normally means "durably handled, acknowledge it". */
@FunctionalInterface
public interface MessageHandler {
  void handle(IncomingMessage message) throws Exception;
}
