package org.mecam.launcher;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

/**
 * The installation's own certificate authority: an ECDSA P-256 key pair and self-signed CA
 * certificate that sign the broker's TLS certificate and the web UI's HTTPS certificate. Cameras
 * and phones trust this one CA (pinned), never the system's list.
 */
public final class LocalCa {
  /** Long-lived on purpose: a home installation must not stop working when a certificate expires. */
  static final Duration CA_LIFETIME = Duration.ofDays(20 * 365);
  /**
   * Leaf lifetime. Apple platforms refuse TLS server certificates valid for more than 825 days
   * even from a user-installed CA, so leaves stay below that; re-run after deleting the pair.
   */
  static final Duration LEAF_LIFETIME = Duration.ofDays(820);
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final X509Certificate cert;
  private final PrivateKey key;

  private LocalCa(X509Certificate cert, PrivateKey key) {
    this.cert = cert;
    this.key = key;
  }

  /** A new CA named {@code name}. */
  public static LocalCa create(String name) {
    try {
      KeyPair pair = ecKeyPair();
      X500Name subject = new X500Name("CN=" + name);
      Instant now = Instant.now();
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, serial(),
          Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(CA_LIFETIME)), subject, pair.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
          .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()));
      return new LocalCa(sign(b, pair.getPrivate()), pair.getPrivate());
    } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
      throw new IllegalStateException("cannot create the CA: " + e.getMessage(), e);
    }
  }

  /** The CA stored as PEM files by {@link #write}. */
  public static LocalCa load(Path certFile, Path keyFile) throws IOException {
    try {
      X509Certificate cert = readCertificate(certFile);
      PemObject pem = readPem(keyFile, "PRIVATE KEY");
      PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pem.getContent()));
      return new LocalCa(cert, key);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot read the CA from " + certFile + " and " + keyFile + ": " + e.getMessage(), e);
    }
  }

  /**
   * A server certificate and key signed by this CA, valid for {@code names}: DNS names, IPv4 or IPv6
   * literals (each becomes the matching subjectAltName kind).
   */
  public Issued issueServer(String commonName, Set<String> names) {
    try {
      KeyPair pair = ecKeyPair();
      Instant now = Instant.now();
      List<GeneralName> sans = new ArrayList<>();
      for (String n : new LinkedHashSet<>(names)) {
        sans.add(isIpLiteral(n) ? new GeneralName(GeneralName.iPAddress, InetAddress.getByName(n).getHostAddress())
            : new GeneralName(GeneralName.dNSName, n));
      }
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(cert, serial(),
          Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(LEAF_LIFETIME)),
          new X500Name("CN=" + commonName), pair.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
          .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
          .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans.toArray(GeneralName[]::new)))
          .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(cert))
          .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()));
      return new Issued(sign(b, key), pair.getPrivate());
    } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
      throw new IllegalStateException("cannot issue a certificate for " + names + ": " + e.getMessage(), e);
    }
  }

  public X509Certificate certificate() {
    return cert;
  }

  public String certificatePem() {
    return pem(cert);
  }

  public String keyPem() {
    return pem(new PemObject("PRIVATE KEY", key.getEncoded()));
  }

  /** A certificate issued by the CA and its private key. */
  public record Issued(X509Certificate certificate, PrivateKey key) {
    public String certificatePem() {
      return pem(certificate);
    }

    public String keyPem() {
      return pem(new PemObject("PRIVATE KEY", key.getEncoded()));
    }

    @Override
    public String toString() {
      return "Issued[" + certificate.getSubjectX500Principal() + "]";
    }
  }

  static boolean isIpLiteral(String n) {
    return IPV4.matcher(n).matches() || n.contains(":");
  }

  /** The first certificate in a PEM file. */
  public static X509Certificate readCertificate(Path file) throws IOException {
    try {
      byte[] der = readPem(file, "CERTIFICATE").getContent();
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot read the certificate in " + file + ": " + e.getMessage(), e);
    }
  }

  private static PemObject readPem(Path file, String type) throws IOException {
    try (PemReader r = new PemReader(new StringReader(Files.readString(file, StandardCharsets.UTF_8)))) {
      PemObject o = r.readPemObject();
      if (o == null || !o.getType().equals(type)) {
        throw new IOException(file + " holds no PEM " + type);
      }
      return o;
    }
  }

  private static KeyPair ecKeyPair() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    return g.generateKeyPair();
  }

  private static BigInteger serial() {
    return new BigInteger(127, RANDOM).add(BigInteger.ONE);
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey signer)
      throws OperatorCreationException, GeneralSecurityException {
    ContentSigner s = new JcaContentSignerBuilder("SHA256withECDSA").build(signer);
    return new JcaX509CertificateConverter().getCertificate(b.build(s));
  }

  private static String pem(Object o) {
    StringWriter w = new StringWriter();
    try (JcaPEMWriter pw = new JcaPEMWriter(w)) {
      pw.writeObject(o);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return w.toString();
  }

}
