package org.mecam.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WebUiSettingsTest {
  private static String reason(String publicUrl) {
    String json = "{\"schema\":1,\"id\":\"s-1\",\"time\":\"2026-12-03T17:00:00Z\",\"publicUrl\":\"" + publicUrl + "\"}";
    try {
      PayloadCodec.decode(Topics.WEBUI_SETTINGS, json.getBytes(StandardCharsets.UTF_8), WebUiSettings.class);
      return null;
    } catch (InvalidPayloadException e) {
      return e.reason();
    }
  }

  @Test
  void roundTripsAndIsRetained() throws Exception {
    WebUiSettings s = new WebUiSettings(1, "s-1", Instant.parse("2026-12-03T17:00:00Z"), "https://cams.lan:8443");
    assertThat(PayloadCodec.decode(Topics.WEBUI_SETTINGS, PayloadCodec.encode(s), WebUiSettings.class)).isEqualTo(s);
    assertThat(Contract.forTopic(Topics.WEBUI_SETTINGS).retained()).isTrue();
  }

  @Test
  void refusesUnusableUrls() {
    assertThat(reason("https://cams.lan:8443")).isNull();
    assertThat(reason("https://example.org/mecam")).isNull();
    assertThat(reason("ftp://cams.lan")).contains("https://");
    assertThat(reason("https://cams.lan/")).contains("must not end with '/'");
    assertThat(reason("https://u:p@cams.lan")).contains("user info");
    assertThat(reason("https://cams.lan/?a=b")).contains("query");
    assertThat(reason("https:///x")).contains("no host");
    assertThat(reason("")).contains("missing");
  }

  @Test
  void normalisesWhatUsersType() {
    assertThat(WebUiSettings.normalisePublicUrl("  https://cams.lan:8443/ ")).isEqualTo("https://cams.lan:8443");
    assertThatThrownBy(() -> WebUiSettings.normalisePublicUrl("cams.lan")).hasMessageContaining("https://");
  }
}
