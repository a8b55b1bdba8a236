package org.mecam.uploader.rest;

import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mecam.uploader.domain.ItemState;
import org.mecam.uploader.service.UploadStats;

/** Read-only view of the queue and statistics for operators and tests. */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
public class QueueResource {
  private final UploadStats stats;

  public QueueResource(UploadStats stats) {
    this.stats = stats;
  }

  /** One queue item as the API shows it (no paths or URLs that could carry tokens). */
  public record QueueItem(String mediaId, String camera, String eventId, String kind, String state,
      int priority, int attempts, String lastError, Long nextAttemptAt, String backend, Long size,
      Long ciphertextSize) {}

  @GET
  @Path("/queue")
  public List<QueueItem> queue(@QueryParam("state") String state,
      @QueryParam("limit") @DefaultValue("200") int limit) throws SQLException {
    Optional<ItemState> filter;
    try {
      filter = state == null || state.isBlank() ? Optional.empty() : Optional.of(ItemState.fromDb(state));
    } catch (IllegalArgumentException e) {
      throw new BadRequestException("unknown state '" + state + "'");
    }
    if (limit < 1 || limit > 10_000) {
      throw new BadRequestException("limit must be between 1 and 10000");
    }
    return stats.items(filter, limit).stream().map(i -> new QueueItem(i.mediaId(), i.camera(), i.eventId(),
        i.kind().name().toLowerCase(), i.state().db(), i.priority(), i.attempts(), i.lastError(),
        i.nextAttemptAt() == 0 ? null : i.nextAttemptAt(), i.backend(), i.size(), i.ciphertextSize()))
        .toList();
  }

  @GET
  @Path("/stats")
  public Map<String, Object> stats() throws SQLException {
    return stats.snapshot();
  }
}
