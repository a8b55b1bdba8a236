package org.mecam.notifier;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Path;
import java.util.Map;
import org.mecam.testkit.fcm.LoopbackFcmService;

/**
 * Starts the loopback FCM peer and points the notifier's firebase-admin at it: a generated
 * service-account file whose token endpoint is the peer, and the FCM API URL redirected to it.
 */
public class FcmTestResource implements QuarkusTestResourceLifecycleManager {
  private LoopbackFcmService fcm;

  @Override
  public Map<String, String> start() {
    fcm = LoopbackFcmService.start();
    Path account = fcm.writeServiceAccount(Path.of("target", "fcm-test"), "mecam-test");
    return Map.of("mecam.notifier.fcm.credentials-file", account.toAbsolutePath().toString(),
        "mecam.notifier.fcm.api-url", fcm.apiUrl());
  }

  @Override
  public void inject(TestInjector injector) {
    injector.injectIntoFields(fcm,
        new TestInjector.AnnotatedAndMatchesType(InjectFcm.class, LoopbackFcmService.class));
  }

  @Override
  public void stop() {
    if (fcm != null) {
      fcm.close();
    }
  }
}
