package org.mecam.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * The packaged runner jar (after {@code package}) carries the natives of the one platform the build
 * targeted ({@code linux-x86_64} by default, {@code linux-arm64} with {@code -Ppi}) and of no other,
 * and leaves out the native parts the agent never loads.
 */
class RunnerJarIT {
  private static final Pattern NATIVE_DIR =
      Pattern.compile("^org/bytedeco/[a-z0-9]+/((?:linux|windows|macosx|android|ios)-[a-z0-9_]+)/");

  @Test
  void runnerJarHoldsTheTargetPlatformsNativesOnly() throws Exception {
    String platform = System.getProperty("javacpp.platform", "linux-x86_64");
    Path jar;
    try (Stream<Path> files = Files.list(Path.of("target"))) {
      List<Path> runners = files.filter(f -> f.getFileName().toString().endsWith("-runner.jar")).toList();
      assertThat(runners).as("runner jar in target/").hasSize(1);
      jar = runners.get(0);
    }
    Set<String> platforms = new TreeSet<>();
    Set<String> libraries = new TreeSet<>();
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      zip.stream().forEach(e -> {
        Matcher m = NATIVE_DIR.matcher(e.getName());
        if (m.find()) {
          platforms.add(m.group(1));
          libraries.add(e.getName().split("/")[2]);
        }
      });
      assertThat(zip.stream().map(e -> e.getName()))
          .noneMatch(n -> n.endsWith("/ffmpeg") || n.endsWith("/ffprobe") || n.contains("/python/")
              || n.endsWith("libopencv_java.so"));
    }
    assertThat(platforms).containsExactly(platform);
    assertThat(libraries).contains("ffmpeg", "opencv", "javacpp");
  }
}
