package io.xwr.ingress;

import io.quarkus.tls.runtime.KeyStoreAndKeyCertOptions;
import io.quarkus.tls.runtime.KeyStoreProvider;
import io.smallrye.common.annotation.Identifier;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;
import io.xwr.config.TlsConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
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
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.jboss.logging.Logger;

/**
 * A self-signed certificate for {@code localhost}, generated with Bouncy Castle at start-up, so HTTPS works
 * with no set-up. The TLS registry asks for it only when {@code quarkus.tls.https.key-store.*} configures no
 * real key store, and refuses unless {@code xwr.tls.allow-self-signed} is set: production mounts a real
 * certificate (X refuses self-signed ones, spec 10.3).
 */
@ApplicationScoped
@Identifier("https")
public class SelfSignedKeyStore implements KeyStoreProvider {
    private static final Logger LOG = Logger.getLogger(SelfSignedKeyStore.class);
    static final String SUBJECT = "CN=x-webhook-receiver";

    private final Clock clock;
    private final boolean allowed;

    SelfSignedKeyStore(Clock clock, TlsConfig config) {
        this.clock = clock;
        this.allowed = config.allowSelfSigned();
    }

    @Override
    public KeyStoreAndKeyCertOptions getKeyStore(Vertx vertx) {
        if (!allowed) {
            // Thrown while the TLS registry starts: the service stops before it listens.
            throw new IllegalStateException("No TLS certificate configured: set quarkus.tls.https.key-store.pem.0.cert"
                    + " and .key (X accepts only certificates from a public CA), or set xwr.tls.allow-self-signed=true"
                    + " to serve a generated self-signed certificate on purpose.");
        }
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            KeyPair pair = generator.generateKeyPair();
            X509Certificate certificate = certificate(pair, clock.instant());

            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("https", pair.getPrivate(), new char[0], new X509Certificate[] {certificate});
            // Vert.x wants PKCS#8 PEM; the SEC1 form JcaPEMWriter writes for an EC key by default is refused.
            PemKeyCertOptions pem = new PemKeyCertOptions()
                    .addCertValue(Buffer.buffer(pem(certificate)))
                    .addKeyValue(Buffer.buffer(pem(new JcaPKCS8Generator(pair.getPrivate(), null))));
            LOG.warn("No TLS key store configured: serving HTTPS with a generated self-signed certificate for"
                    + " localhost. X accepts only certificates from a public CA; configure"
                    + " quarkus.tls.https.key-store.pem.0.cert/key in production.");
            return new KeyStoreAndKeyCertOptions(store, pem);
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("Cannot generate the self-signed certificate", e);
        }
    }

    private static X509Certificate certificate(KeyPair pair, Instant now)
            throws GeneralSecurityException, OperatorCreationException, IOException {
        X500Name subject = new X500Name(SUBJECT);
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                subject,
                new BigInteger(64, new SecureRandom()),
                Date.from(now.minus(Duration.ofMinutes(5))),
                Date.from(now.plus(Duration.ofDays(365))),
                subject,
                pair.getPublic());
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                .addExtension(
                        Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(pair.getPublic()))
                .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.dNSName, "localhost"),
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1")
                }));
        return new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
    }

    private static String pem(Object object) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        }
        return out.toString();
    }
}
