package org.mecam.notifier.webpush;

import java.security.Provider;
import java.security.Security;

/**
 * A one-entry JCA provider that makes {@code KeyAgreement.getInstance("ECDH")} resolve to
 * BouncyCastle's ECDH. The web-push library asks for ECDH without naming a provider, so the JDK's
 * SunEC (a slower generic P-256) would otherwise compute every message's shared secret; profiling the
 * fan-out showed that as half the service's CPU. Only ECDH is affected, nothing else in the JVM.
 */
final class BouncyCastleEcdhFirst extends Provider {
  static final String NAME = "MecamBcEcdh";

  private BouncyCastleEcdhFirst() {
    super(NAME, "1.0", "BouncyCastle ECDH ahead of SunEC (web push encryption)");
    put("KeyAgreement.ECDH", "org.bouncycastle.jcajce.provider.asymmetric.ec.KeyAgreementSpi$DH");
  }

  /** Installs the provider first in the list, once. */
  static synchronized void install() {
    if (Security.getProvider(NAME) == null) {
      Security.insertProviderAt(new BouncyCastleEcdhFirst(), 1);
    }
  }
}
