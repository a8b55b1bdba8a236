package org.mecam.mqtt;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.mecam.events.MotionEvent;
import org.mecam.events.Topics;
import org.mecam.store.SqliteDatabase;

/**
 * A minimal consumer run as a child JVM by {@link AtLeastOnceTest}: it records every motion event in
 * SQLite (deduplicated by message id) and logs each delivery, so a test can kill it between receipt
 * and commit (via {@link FaultInjection}) and inspect what survived.
 */
public final class RecordingConsumerMain {
  public static void main(String[] args) throws Exception {
    String url = args[0];
    Path dbFile = Path.of(args[1]);
    String clientId = args[2];
    SqliteDatabase db = SqliteDatabase.open(dbFile, List.of("db/probe/V1__init.sql"));
    PahoTransport transport = PahoTransport.start(MqttSettings.builder(url, clientId).build());
    ValidatingSubscriber subscriber = new ValidatingSubscriber(transport, "probe", Clock.systemUTC());
    subscriber.subscribe(Topics.ALL_CAMERA_EVENTS, MotionEvent.class, (topic, e) ->
        db.inTransaction(c -> {
          try (var log = c.prepareStatement("INSERT INTO delivery(id) VALUES (?)");
               var ins = c.prepareStatement("INSERT OR IGNORE INTO event(id, event_id) VALUES (?, ?)")) {
            log.setString(1, e.id());
            log.executeUpdate();
            ins.setString(1, e.id());
            ins.setString(2, e.eventId());
            return ins.executeUpdate();
          }
        }));
    if (!transport.awaitConnected(Duration.ofSeconds(20))) {
      System.exit(3);
    }
    System.out.println("READY");
    System.out.flush();
    new CountDownLatch(1).await();
  }
}
