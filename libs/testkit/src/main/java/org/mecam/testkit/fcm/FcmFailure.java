package org.mecam.testkit.fcm;

/** Errors the loopback FCM service can answer with, shaped like FCM HTTP v1's. */
public enum FcmFailure {
  UNREGISTERED(404, "NOT_FOUND", "Requested entity was not found."),
  INVALID_ARGUMENT(400, "INVALID_ARGUMENT", "The registration token is not a valid FCM registration token"),
  SENDER_ID_MISMATCH(403, "PERMISSION_DENIED", "SenderId mismatch"),
  QUOTA_EXCEEDED(429, "RESOURCE_EXHAUSTED", "Quota exceeded for quota metric 'Send requests'"),
  UNAVAILABLE(503, "UNAVAILABLE", "The service is currently unavailable."),
  INTERNAL(500, "INTERNAL", "Internal error encountered.");

  final int httpStatus;
  final String status;
  final String message;

  FcmFailure(int httpStatus, String status, String message) {
    this.httpStatus = httpStatus;
    this.status = status;
    this.message = message;
  }

  /** The error body FCM sends: {@code error.code/message/status} plus an {@code FcmError} detail. */
  String body() {
    return "{\"error\":{\"code\":" + httpStatus + ",\"message\":\"" + message + "\",\"status\":\"" + status
        + "\",\"details\":[{\"@type\":\"type.googleapis.com/google.firebase.fcm.v1.FcmError\",\"errorCode\":\""
        + name() + "\"}]}}";
  }
}
