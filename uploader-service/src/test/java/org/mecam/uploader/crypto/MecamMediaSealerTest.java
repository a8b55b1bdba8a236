package org.mecam.uploader.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mecam.uploader.config.UploaderConfig;

class MecamMediaSealerTest {
  @TempDir
  Path dir;

  static UploaderConfig config(Optional<Path> recipients) {
    return (UploaderConfig) Proxy.newProxyInstance(UploaderConfig.class.getClassLoader(),
        new Class<?>[] {UploaderConfig.class}, (proxy, method, args) -> {
          if (method.getName().equals("recipientsFile")) {
            return recipients;
          }
          throw new UnsupportedOperationException(method.getName());
        });
  }

  @Test
  void refusesToSealAnythingWithoutARecipientKey() throws Exception {
    MecamMediaSealer sealer = new MecamMediaSealer(config(Optional.empty()));
    assertThat(sealer.refusal()).hasValueSatisfying(r -> assertThat(r).contains("recipient").contains("unencrypted"));
    Path plain = Files.writeString(dir.resolve("p"), "secret footage");
    assertThatThrownBy(() -> sealer.seal(null, plain, dir.resolve("s"))).hasMessageContaining("recipient");
    assertThat(dir.resolve("s")).doesNotExist();
  }

  @Test
  void refusesAnUnreadableRecipientsFileWithTheReason() throws Exception {
    Path bad = Files.writeString(dir.resolve("recipients"), "not-a-key\n");
    MecamMediaSealer sealer = new MecamMediaSealer(config(Optional.of(bad)));
    assertThat(sealer.refusal()).hasValueSatisfying(r -> assertThat(r).contains("line 1"));
  }
}
