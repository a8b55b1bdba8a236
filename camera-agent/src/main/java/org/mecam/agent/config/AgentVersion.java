package org.mecam.agent.config;

import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;

/** The agent's version, from the Maven metadata inside the jar ("dev" when run from classes). */
public final class AgentVersion implements CommandLine.IVersionProvider {
  private static final String VERSION = load();

  public static String version() {
    return VERSION;
  }

  @Override
  public String[] getVersion() {
    return new String[] {"mecam camera-agent " + VERSION};
  }

  private static String load() {
    try (InputStream in = AgentVersion.class.getResourceAsStream(
        "/META-INF/maven/org.mecam/mecam-camera-agent/pom.properties")) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        return p.getProperty("version", "dev");
      }
    } catch (java.io.IOException e) {
      // fall through
    }
    return "dev";
  }
}
