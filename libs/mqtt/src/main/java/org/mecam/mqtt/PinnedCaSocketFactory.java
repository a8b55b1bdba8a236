package org.mecam.mqtt;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS sockets that trust exactly the certificate authorities in one PEM (the installation's own CA,
 * pinned in a camera's configuration), never the JDK's list, with Nagle's algorithm off as
 * {@link NoDelaySocketFactory} does for plain TCP. Host name verification is the caller's: Paho
 * turns it on for {@code ssl://} URLs ({@code MqttConnectOptions#setHttpsHostnameVerificationEnabled}).
 */
public final class PinnedCaSocketFactory extends SSLSocketFactory {
  private final SSLSocketFactory delegate;

  private PinnedCaSocketFactory(SSLSocketFactory delegate) {
    this.delegate = delegate;
  }

  /** Trusts the CA certificate(s) in {@code pem} ("-----BEGIN CERTIFICATE-----" blocks). */
  public static PinnedCaSocketFactory fromPem(String pem, String what) {
    try {
      Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
      if (certs.isEmpty()) {
        throw new IllegalArgumentException(what + " holds no PEM certificate");
      }
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      int i = 0;
      for (Certificate c : certs) {
        trust.setCertificateEntry("mecam-ca-" + i++, c);
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return new PinnedCaSocketFactory(ctx.getSocketFactory());
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException(what + " is not a usable PEM CA certificate: " + e.getMessage(), e);
    }
  }

  /** Trusts the CA certificate(s) in a PEM file. */
  public static PinnedCaSocketFactory fromFile(Path file) {
    try {
      return fromPem(Files.readString(file, StandardCharsets.US_ASCII), "CA file " + file);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("CA file " + file + " does not exist", e);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read CA file " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Socket createSocket() throws IOException {
    return noDelay(delegate.createSocket());
  }

  @Override
  public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
    s.setTcpNoDelay(true);
    return delegate.createSocket(s, host, port, autoClose);
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return noDelay(delegate.createSocket(host, port));
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
    return noDelay(delegate.createSocket(host, port, localHost, localPort));
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return noDelay(delegate.createSocket(host, port));
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    return noDelay(delegate.createSocket(address, port, localAddress, localPort));
  }

  @Override
  public String[] getDefaultCipherSuites() {
    return delegate.getDefaultCipherSuites();
  }

  @Override
  public String[] getSupportedCipherSuites() {
    return delegate.getSupportedCipherSuites();
  }

  private static Socket noDelay(Socket s) throws IOException {
    s.setTcpNoDelay(true);
    return s;
  }
}
