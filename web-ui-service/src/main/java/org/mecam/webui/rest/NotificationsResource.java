package org.mecam.webui.rest;

import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.mecam.webui.mqtt.CommandClient;
import org.mecam.webui.mqtt.CommandClient.Target;
import org.mecam.webui.security.Caller;
import org.mecam.webui.security.ViewerAllowed;

/**
 * Notification settings, devices and tests, answered by the notifier over the broker; every command
 * carries the acting user and role, and the notifier lets viewers see, test and remove only their own
 * devices.
 */
@Path("/api/notifications")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "notifications")
public class NotificationsResource {
  private final CommandClient commands;

  public NotificationsResource(CommandClient commands) {
    this.commands = commands;
  }

  @ViewerAllowed
  @GET
  @Path("/vapid_key")
  @Operation(summary = "The notifier's VAPID public key (applicationServerKey for PushManager.subscribe)")
  public CommandResult vapidKey(@Context RoutingContext ctx) {
    return call("vapid_key", Map.of(), ctx);
  }

  @ViewerAllowed
  @POST
  @Path("/webpush/subscribe")
  @Operation(summary = "Register this browser's push subscription: PushSubscription.toJSON() plus device_name")
  @SuppressWarnings("unchecked")
  public CommandResult subscribe(Map<String, Object> body, @Context RoutingContext ctx) {
    Map<String, Object> keys = body != null && body.get("keys") instanceof Map<?, ?> k
        ? (Map<String, Object>) k : body;
    Map<String, Object> args = new HashMap<>();
    args.put("endpoint", Body.url(body, "endpoint"));
    args.put("p256dh", Body.text(keys, "p256dh", 200, true));
    args.put("auth", Body.text(keys, "auth", 100, true));
    args.put("device_name", deviceName(body));
    putUser(args, ctx);
    return call("webpush_subscribe", args, ctx);
  }

  @ViewerAllowed
  @POST
  @Path("/webpush/unsubscribe")
  @Operation(summary = "Remove a push subscription: {\"endpoint\": \"...\"}")
  public CommandResult unsubscribe(Map<String, Object> body, @Context RoutingContext ctx) {
    return call("webpush_unsubscribe", Map.of("endpoint", Body.url(body, "endpoint")), ctx);
  }

  @POST
  @Path("/test/webpush")
  @Operation(summary = "Send a test notification to every browser subscription")
  public CommandResult testWebPush(@Context RoutingContext ctx) {
    return call("test_webpush", Map.of(), ctx);
  }

  @ViewerAllowed
  @POST
  @Path("/fcm/register")
  @Operation(summary = "Register a phone's FCM token: {\"token\", \"platform\": android|ios|web, \"device_name\"}")
  public CommandResult fcmRegister(Map<String, Object> body, @Context RoutingContext ctx) {
    String platform = Body.text(body, "platform", 20, false);
    if (platform != null && !platform.matches("android|ios|web")) {
      throw new BadInput("field 'platform' must be android, ios or web");
    }
    Map<String, Object> args = new HashMap<>();
    args.put("token", Body.text(body, "token", 4096, true));
    args.put("platform", platform == null ? "android" : platform);
    args.put("device_name", deviceName(body));
    putUser(args, ctx);
    return call("fcm_register", args, ctx);
  }

  @ViewerAllowed
  @POST
  @Path("/fcm/unregister")
  @Operation(summary = "Remove an FCM token: {\"token\": \"...\"}")
  public CommandResult fcmUnregister(Map<String, Object> body, @Context RoutingContext ctx) {
    return call("fcm_unregister", Map.of("token", Body.text(body, "token", 4096, true)), ctx);
  }

  @POST
  @Path("/test/fcm")
  @Operation(summary = "Send a test notification to every FCM device")
  public CommandResult testFcm(@Context RoutingContext ctx) {
    return call("test_fcm", Map.of(), ctx);
  }

  @ViewerAllowed
  @GET
  @Path("/devices")
  @Operation(summary = "Registered browsers and phones with their usage statistics")
  public CommandResult devices(@Context RoutingContext ctx) {
    return call("devices", Map.of(), ctx);
  }

  @ViewerAllowed
  @GET
  @Path("/settings")
  @Operation(summary = "Notification preferences (categories, quiet hours, cool-down, rate limits)")
  public CommandResult settings(@Context RoutingContext ctx) {
    Map<String, Object> args = new HashMap<>();
    putUser(args, ctx);
    return call("settings_get", args, ctx);
  }

  @POST
  @Path("/settings")
  @Operation(summary = "Change notification preferences: a flat JSON object of setting name to value")
  public CommandResult saveSettings(Map<String, Object> body, @Context RoutingContext ctx) {
    Map<String, Object> args = new HashMap<>(Body.flat(body));
    args.remove("user");
    putUser(args, ctx);
    return call("settings_set", args, ctx);
  }

  @POST
  @Path("/test/broadcast")
  @Operation(summary = "Send a test notification through every channel to every device")
  public CommandResult testBroadcast(@Context RoutingContext ctx) {
    return call("test_broadcast", Map.of(), ctx);
  }

  @POST
  @Path("/clear_all")
  @Operation(summary = "Clear the notification history; {\"what\": \"notifications\"|\"devices\"|\"all\"}")
  public CommandResult clearAll(Map<String, Object> body, @Context RoutingContext ctx) {
    String what = Body.text(body, "what", 20, false);
    if (what != null && !what.matches("notifications|devices|all")) {
      throw new BadInput("field 'what' must be notifications, devices or all");
    }
    return call("clear_all", Map.of("what", what == null ? "notifications" : what), ctx);
  }

  @POST
  @Path("/snooze")
  @Operation(summary = "Silence one camera's notifications: {\"camera\": \"porch\", \"minutes\": 60}")
  public CommandResult snooze(Map<String, Object> body, @Context RoutingContext ctx) {
    String camera = Params.camera(Body.text(body, "camera", 32, true));
    Integer minutes = Body.integer(body, "minutes", 0, 7 * 24 * 60, false);
    return call("snooze_camera", Map.of("camera", camera, "minutes", minutes == null ? 60 : minutes), ctx);
  }

  @POST
  @Path("/webhook/remove")
  @Operation(summary = "Remove a webhook: {\"user\": \"...\"} (owners may name any user; default: the caller's own)")
  public CommandResult webhookRemove(Map<String, Object> body, @Context RoutingContext ctx) {
    Map<String, Object> args = new HashMap<>();
    String user = Body.text(body, "user", 64, false);
    if (user != null) {
      args.put("user", user);
    }
    return call("webhook_remove", args, ctx);
  }

  @POST
  @Path("/test/webhook")
  @Operation(summary = "Send a signed test post to the webhook(s): the caller's own, or every one for owners")
  public CommandResult testWebhook(@Context RoutingContext ctx) {
    return call("test_webhook", Map.of(), ctx);
  }

  private static String deviceName(Map<String, Object> body) {
    String name = Body.text(body, "device_name", 100, false);
    return name == null || name.isBlank() ? "browser" : name;
  }

  private static void putUser(Map<String, Object> args, RoutingContext ctx) {
    String user = CamerasResource.user(ctx);
    if (user != null) {
      args.put("user", user);
    }
  }

  /**
   * Sends the command with the acting user and role ({@code actor}, {@code role}), so the notifier
   * can tell whose devices a caller may see and change (viewers: only their own).
   */
  private CommandResult call(String action, Map<String, Object> args, RoutingContext ctx) {
    Map<String, Object> withActor = new HashMap<>(args);
    Caller caller = Caller.of(ctx);
    if (caller != null) {
      withActor.put("actor", caller.username());
      withActor.put("role", caller.owner() ? "owner" : "viewer");
    }
    return CommandResult.of(commands.call(Target.NOTIFIER, action, withActor));
  }
}
