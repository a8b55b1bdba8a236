package org.mecam.events;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.mecam.events.ByteRange.Kind;

class ByteRangeTest {
  private static String answer(String header, long size) {
    ByteRange r = ByteRange.resolve(header, size);
    return r.status() + " " + r.first() + "-" + r.last() + " " + r.contentRange();
  }

  @Test
  void servesOneRangeAsPartial() {
    assertThat(answer("bytes=0-99", 1000)).isEqualTo("206 0-99 bytes 0-99/1000");
    assertThat(answer("bytes=900-", 1000)).isEqualTo("206 900-999 bytes 900-999/1000");
    assertThat(answer("bytes=900-5000", 1000)).isEqualTo("206 900-999 bytes 900-999/1000");
    assertThat(answer("bytes=-100", 1000)).isEqualTo("206 900-999 bytes 900-999/1000");
    assertThat(answer("bytes=-5000", 1000)).isEqualTo("206 0-999 bytes 0-999/1000");
    assertThat(answer(" Bytes = 5 - 9 ", 1000)).isEqualTo("206 5-9 bytes 5-9/1000");
    assertThat(ByteRange.resolve("bytes=10-19", 1000).length()).isEqualTo(10);
  }

  @Test
  void rangesBeyondTheEndAreUnsatisfiable() {
    assertThat(answer("bytes=1000-", 1000)).isEqualTo("416 0--1 bytes */1000");
    assertThat(answer("bytes=-0", 1000)).startsWith("416");
    assertThat(answer("bytes=0-", 0)).startsWith("416");
    assertThat(answer("bytes=-1", 0)).startsWith("416");
    assertThat(ByteRange.resolve("bytes=2000-3000", 1000).length()).isZero();
  }

  @Test
  void whatCannotBeUsedIsIgnoredAndTheWholeServed() {
    for (String h : new String[] {null, "", "bytes=", "bytes=-", "bytes=0-1,5-9", "items=0-1", "bytes=9-5",
        "bytes=99999999999999999999-", "bytes=a-b"}) {
      ByteRange r = ByteRange.resolve(h, 1000);
      assertThat(r.kind()).as(String.valueOf(h)).isEqualTo(Kind.WHOLE);
      assertThat(answer(h, 1000)).isEqualTo("200 0-999 null");
    }
  }
}
