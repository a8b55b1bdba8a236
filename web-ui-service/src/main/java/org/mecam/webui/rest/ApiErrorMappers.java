package org.mecam.webui.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.quarkus.logging.Log;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.stream.Collectors;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.mecam.webui.mqtt.CommandClient;
import org.mecam.webui.store.WebUiDatabase;

/** Turns failures into JSON answers with a message: bad input 400, no reply 504, never a bare 500. */
public class ApiErrorMappers {

  @ServerExceptionMapper
  public Response badInput(BadInput e) {
    return error(400, e.getMessage());
  }

  /** More specific than Quarkus's built-in mapper, which answers 400 with an empty body. */
  @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER - 100)
  public Response mismatched(MismatchedInputException e) {
    return error(400, describe(e));
  }

  @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER - 100)
  public Response json(JsonProcessingException e) {
    return error(400, describe(e));
  }

  @ServerExceptionMapper
  public Response noReply(CommandClient.NoReplyException e) {
    return error(504, e.getMessage());
  }

  @ServerExceptionMapper
  public Response busy(org.mecam.webui.security.KdfGate.Busy e) {
    return Response.fromResponse(error(503, e.getMessage())).header("Retry-After", "1").build();
  }

  @ServerExceptionMapper
  public Response keyFile(org.mecam.crypto.KeyFileException e) {
    Log.warnf("owner key file: %s", e.getMessage());
    return error(503, "the owner key file cannot be used: " + e.getMessage());
  }

  @ServerExceptionMapper
  public Response damaged(org.mecam.crypto.EncryptedFileException e) {
    if (ArchivePlayback.isBindingFailure(e)) {
      // Normally answered by ArchivePlayback itself; a binding failure is never "damaged" (502).
      Log.warnf("archive file is not the clip asked for: %s", e.getMessage());
      return error(ArchivePlayback.NOT_THIS_CLIP,
          ArchivePlayback.notThisClipMessage(ArchivePlayback.bindingReason(e)));
    }
    Log.warnf("archive file unreadable: %s", e.getMessage());
    return error(502, "the archived file cannot be decrypted: " + e.getMessage());
  }

  @ServerExceptionMapper
  public Response store(WebUiDatabase.StoreException e) {
    Log.warnf("database error: %s", e.getMessage());
    return error(503, "the web UI's database is unavailable; try again");
  }

  @ServerExceptionMapper
  public Response web(WebApplicationException e) {
    int status = e.getResponse().getStatus();
    String message = e.getMessage() == null ? Response.Status.fromStatusCode(status).getReasonPhrase()
        : e.getMessage();
    if (e.getCause() instanceof JsonProcessingException j) {
      return error(400, describe(j));
    }
    return error(status, message);
  }

  @ServerExceptionMapper
  public Response unexpected(RuntimeException e) {
    Log.errorf(e, "unexpected error");
    return error(500, "internal error: " + e.getClass().getSimpleName());
  }

  static Response error(int status, String message) {
    return Response.status(status).type(MediaType.APPLICATION_JSON).entity(new ApiError(message)).build();
  }

  static String describe(JsonProcessingException e) {
    if (e instanceof UnrecognizedPropertyException u) {
      return "unknown field '" + u.getPropertyName() + "'";
    }
    if (e instanceof InvalidFormatException f) {
      return "field '" + path(f) + "' has an invalid value";
    }
    if (e instanceof MismatchedInputException m) {
      String p = path(m);
      return p.isEmpty() ? "the body must be a JSON object of the documented shape"
          : "field '" + p + "' has the wrong type or is missing";
    }
    return "the body is not valid JSON";
  }

  private static String path(MismatchedInputException e) {
    return e.getPath().stream()
        .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
        .collect(Collectors.joining("."));
  }
}
