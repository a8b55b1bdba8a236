package org.mecam.webui.security;

import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.mecam.webui.config.WebUiConfig;

/**
 * The client's address for throttling and logs: the socket's peer, unless that peer is one of
 * {@code mecam.webui.trusted-proxies} (CIDR list); then {@code X-Forwarded-For} is read from the right,
 * skipping trusted proxies, and the first address not trusted is the client. Nobody else's
 * {@code X-Forwarded-For} is believed, so a client cannot pick its own address.
 */
@ApplicationScoped
public class ClientAddress {
  private static final Pattern IP_LITERAL = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

  /** One CIDR block. */
  record Block(byte[] network, int bits) {
    boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      int full = bits / 8;
      for (int i = 0; i < full; i++) {
        if (address[i] != network[i]) {
          return false;
        }
      }
      int rest = bits % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xff << (8 - rest)) & 0xff;
      return (address[full] & mask) == (network[full] & mask);
    }
  }

  private final List<Block> trusted;

  public ClientAddress(WebUiConfig config) {
    this.trusted = parse(config.trustedProxies().orElse(List.of()));
  }

  /** Parses a CIDR list strictly ("10.0.0.0/8", "::1/128", or a single address); refuses anything else. */
  static List<Block> parse(List<String> cidrs) {
    List<Block> out = new ArrayList<>();
    for (String raw : cidrs) {
      String cidr = raw.strip();
      if (cidr.isEmpty()) {
        continue;
      }
      int slash = cidr.indexOf('/');
      byte[] address = literal(slash < 0 ? cidr : cidr.substring(0, slash));
      if (address == null) {
        throw new IllegalArgumentException(
            "mecam.webui.trusted-proxies: '" + cidr + "' is not an IP address or CIDR block");
      }
      int bits = address.length * 8;
      if (slash >= 0) {
        try {
          bits = Integer.parseInt(cidr.substring(slash + 1));
        } catch (NumberFormatException e) {
          bits = -1;
        }
        if (bits < 0 || bits > address.length * 8) {
          throw new IllegalArgumentException("mecam.webui.trusted-proxies: '" + cidr + "' has a bad prefix length");
        }
      }
      out.add(new Block(address, bits));
    }
    return List.copyOf(out);
  }

  /** The address bytes of an IP literal (never a DNS look-up), or null. */
  static byte[] literal(String text) {
    if (text == null || !IP_LITERAL.matcher(text).matches()) {
      return null;
    }
    try {
      return InetAddress.getByName(text).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }

  boolean trusted(String address) {
    byte[] bytes = literal(address);
    return bytes != null && trusted.stream().anyMatch(b -> b.contains(bytes));
  }

  /** The client address of this request, as text. */
  public String of(RoutingContext ctx) {
    String peer = ctx.request().remoteAddress() == null ? "?" : ctx.request().remoteAddress().host();
    if (trusted.isEmpty() || !trusted(peer)) {
      return peer;
    }
    List<String> forwarded = ctx.request().headers().getAll("X-Forwarded-For");
    List<String> hops = new ArrayList<>();
    for (String header : forwarded) {
      for (String hop : header.split(",")) {
        hops.add(hop.strip());
      }
    }
    String client = peer;
    for (int i = hops.size() - 1; i >= 0; i--) {
      String hop = hops.get(i);
      if (literal(hop) == null) {
        break; // garbage: stop at the last address a trusted proxy vouched for
      }
      client = hop;
      if (!trusted(hop)) {
        break;
      }
    }
    return client;
  }
}
