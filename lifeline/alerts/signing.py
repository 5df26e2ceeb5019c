"""CAP messages signed on the way out and their signatures checked on the way in.

National alerting authorities and WMO's CAP validator expect a published message to carry an
enveloped XML Signature (``<Signature>`` as the last child of ``<alert>``; RSA-SHA256, SHA-256
digest, exclusive canonicalisation, the signer's certificate in ``KeyInfo``), as IPAWS does.

Keys are files, as TLS keys are: ``CAP_SIGNING_KEYS_DIR`` holds ``<organisation id>.key.pem``
(mode 600) and ``<organisation id>.cert.pem`` for each organisation that signs; an organisation
without a key signs with its nearest ancestor's. ``manage.py cap_signing_key`` makes a key pair
and a self-signed certificate, or installs ones the national PKI issued. Without any key the
messages go out unsigned, as before.

Imported messages: ``signature_of(raw_xml)`` says whether a signature is there, whether it holds
(the message was not changed since it was signed) and who signed it. A certificate is "trusted"
only when it is one of ``CAP_TRUSTED_CERTIFICATES`` (a PEM bundle the operator keeps); otherwise
the signature is intact but its signer is only as good as the name in the certificate.
"""

import datetime
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.utils.translation import gettext as _
from lxml import etree
from signxml import SignatureConfiguration, SignatureConstructionMethod, XMLSigner, XMLVerifier
from signxml.exceptions import InvalidInput, InvalidSignature

DSIG = "http://www.w3.org/2000/09/xmldsig#"
EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#"


def keys_dir():
    return Path(settings.CAP_SIGNING_KEYS_DIR or Path(settings.BASE_DIR) / "var" / "cap-keys")


def key_paths(organisation_id):
    folder = keys_dir()
    return folder / f"{organisation_id}.key.pem", folder / f"{organisation_id}.cert.pem"


def signing_pair(organisation):
    """(private key PEM, certificate PEM) of ``organisation`` or its nearest ancestor, or None."""
    seen = set()
    while organisation is not None and organisation.pk not in seen:
        seen.add(organisation.pk)
        key, cert = key_paths(organisation.pk)
        if key.exists() and cert.exists():
            return key.read_bytes(), cert.read_bytes()
        organisation = organisation.parent
    return None


def make_self_signed(common_name, days=730):
    """A new RSA-3072 key and a self-signed certificate for ``common_name``: (key PEM, cert PEM)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64])])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return key_pem, cert.public_bytes(serialization.Encoding.PEM)


def install_pair(organisation_id, key_pem, cert_pem):
    """Write an organisation's key (mode 600) and certificate after checking that they match."""
    key = serialization.load_pem_private_key(key_pem, password=None)
    cert = x509.load_pem_x509_certificate(cert_pem)
    if key.public_key().public_numbers() != cert.public_key().public_numbers():
        raise ValueError("the certificate is not for this key")
    key_path, cert_path = key_paths(organisation_id)
    key_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    descriptor = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(key_pem)
    os.chmod(key_path, 0o600)
    cert_path.write_bytes(cert_pem)
    return key_path, cert_path


def sign(xml_bytes, key_pem, cert_pem):
    """The CAP message ``xml_bytes`` with an enveloped signature appended to ``<alert>``."""
    root = etree.fromstring(xml_bytes, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    signer = XMLSigner(
        method=SignatureConstructionMethod.enveloped,
        signature_algorithm="rsa-sha256",
        digest_algorithm="sha256",
        c14n_algorithm=EXC_C14N,
    )
    signer.namespaces = {None: DSIG}
    signed = signer.sign(root, key=key_pem, cert=cert_pem)
    return etree.tostring(signed, xml_declaration=True, encoding="UTF-8")


@dataclass
class Signature:
    present: bool
    valid: bool = False
    signer: str = ""
    trusted: bool = False
    reason: str = ""

    @property
    def summary(self):
        if not self.present:
            return _("Not signed.")
        if not self.valid:
            return _(
                "The signature does not hold: the message was changed after it was signed, or the signature is broken (%(reason)s)."
            ) % {"reason": self.reason}
        if self.trusted:
            return _("Signed by %(signer)s, a trusted signer; the message is as it was signed.") % {
                "signer": self.signer
            }
        return _(
            "Signed by %(signer)s; the message is as it was signed. This certificate is not among the trusted ones."
        ) % {"signer": self.signer}


@lru_cache(maxsize=1)
def _trusted(path):
    if not path or not Path(path).exists():
        return frozenset()
    return frozenset(
        cert.fingerprint(hashes.SHA256()) for cert in x509.load_pem_x509_certificates(Path(path).read_bytes())
    )


def _subject(cert):
    names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return names[0].value if names else cert.subject.rfc4514_string()


def _sent(root):
    text = root.findtext("{urn:oasis:names:tc:emergency:cap:1.2}sent") or root.findtext(
        "{urn:oasis:names:tc:emergency:cap:1.1}sent"
    )
    try:
        return datetime.datetime.fromisoformat(text.strip()) if text else None
    except ValueError:
        return None


def signature_of(xml):
    """Whether the CAP message ``xml`` (bytes or text) is signed, and whether its signature holds."""
    data = xml.encode("utf-8") if isinstance(xml, str) else bytes(xml)
    try:
        root = etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        return Signature(present=False)
    element = root.find(f"{{{DSIG}}}Signature")
    if element is None:
        return Signature(present=False)
    embedded = element.findtext(f".//{{{DSIG}}}X509Certificate")
    if not embedded:
        return Signature(present=True, reason=_("no certificate in the signature"))
    try:
        pem = "-----BEGIN CERTIFICATE-----\n" + "".join(embedded.split()) + "\n-----END CERTIFICATE-----\n"
        cert = x509.load_pem_x509_certificate(pem.encode())
        # The certificate must have been valid when the message was sent, not necessarily today.
        config = SignatureConfiguration(verification_time=_sent(root))
        XMLVerifier().verify(root, x509_cert=pem, expect_config=config)
    except (InvalidSignature, InvalidInput, ValueError) as exc:
        return Signature(present=True, reason=str(exc)[:200])
    trusted = cert.fingerprint(hashes.SHA256()) in _trusted(settings.CAP_TRUSTED_CERTIFICATES)
    return Signature(present=True, valid=True, signer=_subject(cert), trusted=trusted)


def cap_message(alert):
    """The CAP message of ``alert`` as this deployment hands it out: imported ones as received,
    published ones signed with their organisation's key (when it has one), drafts unsigned."""
    from lifeline.alerts.cap import to_cap_xml

    if alert.raw_xml:
        return alert.raw_xml.encode("utf-8")
    xml = to_cap_xml(alert)
    if alert.published_at is not None:
        pair = signing_pair(alert.organisation)
        if pair is not None:
            xml = sign(xml, *pair)
    return xml


def status_for(alert):
    """What the alert's page says about its signature."""
    if alert.raw_xml:
        return signature_of(alert.raw_xml).summary
    if alert.published_at is None:
        return _("Signed when published, if the organisation has a signing key.")
    pair = signing_pair(alert.organisation)
    if pair is None:
        return _("Not signed: the organisation has no signing key (see the operators' guide).")
    return status_for_pair(pair)


def status_for_pair(pair):
    cert = x509.load_pem_x509_certificate(pair[1])
    return _("Signed by %(signer)s (certificate valid until %(until)s).") % {
        "signer": _subject(cert),
        "until": cert.not_valid_after_utc.date().isoformat(),
    }
