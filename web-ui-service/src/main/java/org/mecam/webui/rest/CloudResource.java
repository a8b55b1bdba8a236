package org.mecam.webui.rest;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.mecam.events.PayloadCodec;
import org.mecam.webui.mqtt.BrokerSubscriptions;
import org.mecam.webui.mqtt.CommandClient;
import org.mecam.webui.mqtt.CommandClient.Target;
import org.mecam.webui.store.EventQueries;
import org.mecam.webui.security.ViewerAllowed;

/** Cloud backup settings and actions, answered by the uploader over the broker. */
@Path("/api/cloud")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "cloud")
public class CloudResource {
  private final CommandClient commands;
  private final EventQueries queries;

  public CloudResource(CommandClient commands, EventQueries queries) {
    this.commands = commands;
    this.queries = queries;
  }

  @ViewerAllowed
  @GET
  @Path("/settings")
  @Operation(summary = "The uploader's settings (backup on/off, schedule, compression, encryption, limits, retention)")
  public CommandResult settings() {
    return call("get_settings", Map.of());
  }

  @POST
  @Path("/settings")
  @Operation(summary = "Change uploader settings: a flat JSON object of setting name to value")
  public CommandResult saveSettings(Map<String, Object> body) {
    return call("set_settings", Body.flat(body));
  }

  @POST
  @Path("/toggle")
  @Operation(summary = "Turn cloud backup on or off: {\"enabled\": true|false}")
  public CommandResult toggle(Map<String, Object> body) {
    return call("set_settings", Map.of("enabled", Body.bool(body, "enabled", true)));
  }

  @ViewerAllowed
  @GET
  @Path("/stats")
  @Operation(summary = "The uploader's latest retained statistics (queue, progress, totals)")
  public JsonNode stats() throws Exception {
    String json = queries.setting(BrokerSubscriptions.UPLOADER_STATS_SETTING).orElse(null);
    if (json == null) {
      return PayloadCodec.mapper().createObjectNode().put("available", false)
          .put("message", "no statistics from the uploader yet");
    }
    return PayloadCodec.mapper().readTree(json);
  }

  @POST
  @Path("/test_upload")
  @Operation(summary = "Upload a small test file to the configured backend and verify it")
  public CommandResult testUpload() {
    return call("test_upload", Map.of());
  }

  @POST
  @Path("/clear_queue")
  @Operation(summary = "Clear the upload queue; {\"discard\": true} also deletes staged files")
  public CommandResult clearQueue(Map<String, Object> body) {
    Boolean discard = Body.bool(body, "discard", false);
    return call("clear_queue", Map.of("discard", discard != null && discard));
  }

  @ViewerAllowed
  @GET
  @Path("/oauth/status")
  @Operation(summary = "Whether Google Drive is linked")
  public CommandResult oauthStatus() {
    return call("oauth_status", Map.of());
  }

  @POST
  @Path("/oauth/authorize")
  @Operation(summary = "Link Google Drive: without a body the answer carries authorizeUrl to open; then send"
      + " {\"redirectUrl\": \"<the URL the browser ended on>\"} or {\"code\", \"state\"} to finish")
  public CommandResult oauthAuthorize(Map<String, Object> body) {
    Map<String, Object> args = new HashMap<>();
    for (String field : new String[] {"code", "state"}) {
      String v = Body.text(body, field, 2048, false);
      if (v != null) {
        args.put(field, v);
      }
    }
    String redirect = Body.text(body, "redirectUrl", 4096, false);
    if (redirect != null) {
      if (!redirect.startsWith("http://") && !redirect.startsWith("https://")) {
        throw new BadInput("field 'redirectUrl' must be an http(s) URL");
      }
      args.put("redirectUrl", redirect);
    }
    return call("oauth_authorize", args);
  }

  @GET
  @Path("/oauth/authorize")
  @Produces(MediaType.TEXT_HTML)
  @Operation(summary = "Start linking Google Drive and redirect the browser to the consent page")
  public Response oauthAuthorizeRedirect() {
    CommandResult r = call("oauth_authorize", Map.of());
    Object url = r.data().get("authorizeUrl");
    if (!(url instanceof String s) || !(s.startsWith("https://") || s.startsWith("http://"))) {
      throw new BadInput("the uploader did not return a consent URL");
    }
    return Response.seeOther(URI.create(s)).build();
  }

  @POST
  @Path("/oauth/disconnect")
  @Operation(summary = "Unlink Google Drive")
  public CommandResult oauthDisconnect() {
    return call("oauth_disconnect", Map.of());
  }

  private CommandResult call(String action, Map<String, Object> args) {
    return CommandResult.of(commands.call(Target.UPLOADER, action, args));
  }
}
