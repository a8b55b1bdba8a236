#!/usr/bin/env python3
"""Independent reader and writer of the mecam encrypted file format, versions 1 and 2.

Written from docs/encryption-format.md alone (no Java code consulted), to prove the document is
sufficient. Needs Python 3.9+ and the `cryptography` package (X25519, HKDF primitives via HMAC,
AES-GCM, ChaCha20-Poly1305, Argon2id); zstd-compressed files additionally need the `zstandard`
module or the `zstd` command line tool.

  independent_decrypt.py decrypt (--key-file F --passphrase-file P | --private-key-hex H)
                                 [--expect-camera C --expect-media M] IN OUT [IN OUT ...]
  independent_decrypt.py encrypt --recipient mecam-pub-1:... [--content-type T] [--suite aes|chacha]
                                 [--segment-log N] [--pad] [--camera C --media M] IN OUT [IN OUT ...]

decrypt prints one JSON line per file (format version, camera and media id, content type, size,
SHA-256) or "error: IN: reason", and
exits 1 if any file failed. Several files per run because interpreter start-up is slow. HPKE is implemented here from the formulas in section 3.1 rather than taken from a library.
"""
import argparse
import base64
import re
import hashlib
import hmac
import json
import os
import shutil
import struct
import subprocess
import sys
import unicodedata

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM, ChaCha20Poly1305
from cryptography.hazmat.primitives import serialization
from cryptography.exceptions import InvalidTag

MAGIC = b"MECAMENC"
FIXED_LEN = 20
STANZA_LEN = 89
MAC_LEN = 32
TAG = 16
TAIL_LEN = 57
BINDING_BLOCK = 512
SEALED_BINDING = BINDING_BLOCK + 16
CONTENT_TYPE = re.compile(r"([!#$%&'*+.^_`|~0-9A-Za-z-]+/[!#$%&'*+.^_`|~0-9A-Za-z-]+( *;[\x20-\x7e]*)?)?")


class FormatError(Exception):
    pass


# ---- HKDF (RFC 5869) and HPKE (RFC 9180) labelled helpers, section 3 -------------------------

def hkdf_extract(salt, ikm):
    return hmac.new(salt if salt else b"\x00" * 32, ikm, hashlib.sha256).digest()


def hkdf_expand(prk, info, length):
    out, t, i = b"", b"", 1
    while len(out) < length:
        t = hmac.new(prk, t + info + bytes([i]), hashlib.sha256).digest()
        out += t
        i += 1
    return out[:length]


def hkdf(ikm, info, length=32):
    return hkdf_expand(hkdf_extract(b"", ikm), info, length)


KEM_SUITE = b"KEM" + struct.pack(">H", 0x0020)
HPKE_SUITE = b"HPKE" + struct.pack(">HHH", 0x0020, 0x0001, 0x0003)


def labeled_extract(suite, salt, label, ikm):
    return hkdf_extract(salt, b"HPKE-v1" + suite + label + ikm)


def labeled_expand(suite, prk, label, info, length):
    return hkdf_expand(prk, struct.pack(">H", length) + b"HPKE-v1" + suite + label + info, length)


def raw_pub(key):
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def hpke_key_schedule(shared_secret, info):
    psk_id_hash = labeled_extract(HPKE_SUITE, b"", b"psk_id_hash", b"")
    info_hash = labeled_extract(HPKE_SUITE, b"", b"info_hash", info)
    context = b"\x00" + psk_id_hash + info_hash
    secret = labeled_extract(HPKE_SUITE, shared_secret, b"secret", b"")
    key = labeled_expand(HPKE_SUITE, secret, b"key", context, 32)
    nonce = labeled_expand(HPKE_SUITE, secret, b"base_nonce", context, 12)
    return key, nonce


def kem_shared_secret(dh, enc, pk_r):
    eae_prk = labeled_extract(KEM_SUITE, b"", b"eae_prk", dh)
    return labeled_expand(KEM_SUITE, eae_prk, b"shared_secret", enc + pk_r, 32)


def hpke_open(sk_r, enc, wrapped, info):
    pk_r = raw_pub(sk_r.public_key())
    dh = sk_r.exchange(X25519PublicKey.from_public_bytes(enc))
    key, nonce = hpke_key_schedule(kem_shared_secret(dh, enc, pk_r), info)
    return ChaCha20Poly1305(key).decrypt(nonce, wrapped, b"")


def hpke_seal(pk_r_bytes, plaintext, info):
    sk_e = X25519PrivateKey.generate()
    enc = raw_pub(sk_e.public_key())
    dh = sk_e.exchange(X25519PublicKey.from_public_bytes(pk_r_bytes))
    key, nonce = hpke_key_schedule(kem_shared_secret(dh, enc, pk_r_bytes), info)
    return enc, ChaCha20Poly1305(key).encrypt(nonce, plaintext, b"")


# ---- Owner key file, section 6 -------------------------------------------------------------

def unlock_key_file(path, passphrase):
    mode = os.stat(path).st_mode
    if mode & 0o077:
        raise FormatError("key file %s is readable by group or others" % path)
    with open(path, encoding="utf-8") as f:
        k = json.load(f)
    if k.get("format") != "mecam-owner-key-1":
        raise FormatError("not a mecam owner key file")
    if k["kdf"] == "argon2id" and not (19456 <= k["kdfMemoryKiB"] <= 4194304
                                       and 2 <= k["kdfIterations"] <= 64
                                       and 1 <= k["kdfParallelism"] <= 16):
        raise FormatError("Argon2id parameters outside the allowed range (section 6.1)")
    pk = parse_public_key(k["publicKey"])
    pw = unicodedata.normalize("NFC", passphrase).encode("utf-8")
    salt = base64.b64decode(k["kdfSalt"])
    if k["kdf"] == "argon2id":
        from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
        kek = Argon2id(salt=salt, length=32, iterations=k["kdfIterations"],
                       lanes=k["kdfParallelism"], memory_cost=k["kdfMemoryKiB"]).derive(pw)
    elif k["kdf"] == "pbkdf2-hmac-sha256":
        if k["kdfIterations"] < 600000:
            raise FormatError("PBKDF2 iteration count below 600000")
        kek = hashlib.pbkdf2_hmac("sha256", pw, salt, k["kdfIterations"], 32)
    else:
        raise FormatError("unknown kdf " + k["kdf"])
    try:
        sk = AESGCM(kek).decrypt(base64.b64decode(k["nonce"]),
                                 base64.b64decode(k["encryptedPrivateKey"]),
                                 b"mecam-owner-key-1" + pk)
    except InvalidTag:
        raise FormatError("wrong passphrase")
    key = X25519PrivateKey.from_private_bytes(sk)
    if raw_pub(key.public_key()) != pk:
        raise FormatError("key file public key does not match its private key")
    return key


def parse_public_key(text):
    text = text.strip()
    if not text.startswith("mecam-pub-1:"):
        raise FormatError("not a mecam public key")
    b = text[len("mecam-pub-1:"):]
    return base64.urlsafe_b64decode(b + "=" * (-len(b) % 4))


# ---- Decryption, sections 2, 4, 5 ------------------------------------------------------------

def aead_for(suite, key):
    if suite == 1:
        return AESGCM(key)
    if suite == 2:
        return ChaCha20Poly1305(key)
    raise FormatError("unknown suite %d" % suite)


def zstd_frame_length(data):
    """Length of the zstd frame at the start of data (RFC 8878 3.1.1), by walking its blocks."""
    if data[:4] != b"\x28\xb5\x2f\xfd":
        raise FormatError("malformed: the compressed payload does not start with a zstd frame")
    if len(data) < 5:
        raise FormatError("malformed: the compressed payload ends inside its zstd frame")
    fhd = data[4]
    fcs_flag, single, checksum, dict_flag = fhd >> 6, (fhd >> 5) & 1, (fhd >> 2) & 1, fhd & 3
    pos = 5 + (0 if single else 1) + [0, 1, 2, 4][dict_flag] + [1 if single else 0, 2, 4, 8][fcs_flag]
    while True:
        if pos + 3 > len(data):
            raise FormatError("malformed: the compressed payload ends inside its zstd frame")
        bh = data[pos] | data[pos + 1] << 8 | data[pos + 2] << 16
        last, btype, size = bh & 1, (bh >> 1) & 3, bh >> 3
        if btype == 3:
            raise FormatError("malformed: reserved zstd block type")
        pos += 3 + (1 if btype == 1 else size)
        if last:
            break
    pos += 4 if checksum else 0
    if pos > len(data):
        raise FormatError("malformed: the compressed payload ends inside its zstd frame")
    return pos


def zstd_decompress(data):
    # Section 5: the payload is exactly one zstd frame; decoders would run on into a second one.
    if zstd_frame_length(data) != len(data):
        raise FormatError("malformed: the compressed payload holds more than one zstd frame "
                          "(or data after it)")
    try:
        import zstandard
        return zstandard.ZstdDecompressor().decompressobj().decompress(data)
    except ImportError:
        if not shutil.which("zstd"):
            raise FormatError("compressed file: install the zstandard module or the zstd tool")
        return subprocess.run(["zstd", "-d", "-c", "-q"], input=data, check=True,
                              stdout=subprocess.PIPE).stdout


def parse_binding(block):
    """Section 2.4: two length-prefixed ids, then zeros; None if malformed."""
    lc = block[0]
    lm = block[1 + lc] if 1 + lc < len(block) else 0
    end = 2 + lc + lm
    if lc == 0 or lm == 0 or end > len(block) or any(block[end:]):
        return None
    try:
        ids = (bytes(block[1:1 + lc]).decode("utf-8"), bytes(block[2 + lc:end]).decode("utf-8"))
    except UnicodeDecodeError:
        return None
    if any(ord(c) < 0x20 or 0x7f <= ord(c) <= 0x9f for c in "".join(ids)):
        return None
    return ids


def decrypt(data, sk, expect=None):
    """Returns (plaintext, content type, version, (camera, media) or None)."""
    if data[:8] != MAGIC:
        raise FormatError("not a mecam file")
    if len(data) < FIXED_LEN:
        raise FormatError("truncated header")
    version = data[8]
    if version not in (1, 2):
        raise FormatError("unknown format version %d" % data[8])
    suite, flags, seg_log = data[9], data[10], data[11]
    if flags & ~0x03 or not 12 <= seg_log <= 24:
        raise FormatError("bad flags or segment size")
    prefix, count = data[12:19], data[19]
    if not 1 <= count <= 32:
        raise FormatError("bad recipient count")
    fixed = data[:FIXED_LEN]
    hlen = FIXED_LEN + STANZA_LEN * count + (SEALED_BINDING if version == 2 else 0) + MAC_LEN
    if len(data) < hlen:
        raise FormatError("truncated header")
    info = b"mecam/v1 file key" + fixed
    my_id = hashlib.sha256(raw_pub(sk.public_key())).digest()[:8]
    file_key, addressed = None, False
    for i in range(count):
        st = data[FIXED_LEN + i * STANZA_LEN: FIXED_LEN + (i + 1) * STANZA_LEN]
        if st[0] != 1:
            raise FormatError("unknown stanza type")
        addressed |= st[1:9] == my_id
        try:
            file_key = hpke_open(sk, st[9:41], st[41:89], info)
            break
        except (InvalidTag, ValueError):
            continue
    if file_key is None:
        # Section 2.5: our key id present but nothing opens -> tampered; absent -> not for us.
        raise FormatError("header tampered" if addressed else "not for this key")
    mac_key = hkdf(file_key, b"mecam/v1 header mac key")
    mac = hmac.new(mac_key, data[:hlen - MAC_LEN], hashlib.sha256).digest()
    if not hmac.compare_digest(mac, data[hlen - MAC_LEN:hlen]):
        raise FormatError("header tampered")
    binding = None
    if version == 2:
        sealed = data[hlen - MAC_LEN - SEALED_BINDING:hlen - MAC_LEN]
        try:
            block = aead_for(suite, hkdf(file_key, b"mecam/v2 binding key")).decrypt(
                b"\x00" * 12, sealed, fixed)
        except InvalidTag:
            raise FormatError("header tampered")
        binding = parse_binding(block)
        if binding is None:
            raise FormatError("malformed header: bad binding block")
    if expect is not None:
        if binding is None:
            raise FormatError("not bound: format version 1 carries no camera or media id")
        if binding != expect:
            raise FormatError("bound to another %s: the file is camera %r, media %r"
                              % ("media id" if binding[1] != expect[1] else "camera",
                                 binding[0], binding[1]))
    aead = aead_for(suite, hkdf(file_key, b"mecam/v1 payload key"))
    seg = 1 << seg_log
    body = data[hlen:]
    if len(body) < 17:
        raise FormatError("truncated: no segment")
    n = -(-len(body) // (seg + TAG))
    if len(body) - (n - 1) * (seg + TAG) < 17:
        # 1..16 bytes: truncated, or an empty final segment (a bare tag), which section 4 forbids
        raise FormatError("empty final segment or truncated: the final segment holds 1..S bytes")
    inner = bytearray()
    for i in range(n):
        last = i == n - 1
        nonce = prefix + struct.pack(">I", i) + (b"\x01" if last else b"\x00")
        try:
            inner += aead.decrypt(nonce, body[i * (seg + TAG):(i + 1) * (seg + TAG)], b"")
        except InvalidTag:
            raise FormatError("tampered at segment %d" % i)
    ct_len = inner[-1]
    tlen = TAIL_LEN + ct_len
    if len(inner) < tlen:
        raise FormatError("trailer too short")
    trailer = inner[-tlen:]
    raw_type = bytes(trailer[:ct_len])
    if any(b < 0x20 or b > 0x7e for b in raw_type) or not CONTENT_TYPE.fullmatch(raw_type.decode("ascii")):
        raise FormatError("corrupt trailer: invalid content type")
    content_type = raw_type.decode("ascii")
    plain_size, payload_size, padding_size = struct.unpack(">QQQ", trailer[ct_len:ct_len + 24])
    sha = bytes(trailer[ct_len + 24:ct_len + 56])
    if payload_size + padding_size + tlen != len(inner):
        raise FormatError("trailer sizes do not add up")
    if any(inner[payload_size:payload_size + padding_size]):
        raise FormatError("padding is not zero")
    payload = bytes(inner[:payload_size])
    plain = zstd_decompress(payload) if flags & 1 else payload
    if len(plain) != plain_size or hashlib.sha256(plain).digest() != sha:
        raise FormatError("plaintext size or SHA-256 mismatch")
    return plain, content_type, version, binding


# ---- Encryption (to prove the Java reader accepts an outside writer) -------------------------

def padme(length):
    if length < 2:
        return length
    e = length.bit_length() - 1
    s = e.bit_length()  # floor(log2 e) + 1
    mask = (1 << (e - s)) - 1
    return (length + mask) & ~mask


def encrypt(plain, recipients, content_type, suite, seg_log, pad, binding=None):
    file_key, prefix = os.urandom(32), os.urandom(7)
    flags = 0x02 if pad else 0
    version = 2 if binding else 1
    fixed = MAGIC + bytes([version, suite, flags, seg_log]) + prefix + bytes([len(recipients)])
    info = b"mecam/v1 file key" + fixed
    header = bytearray(fixed)
    for pk in recipients:
        enc, wrapped = hpke_seal(pk, file_key, info)
        header += b"\x01" + hashlib.sha256(pk).digest()[:8] + enc + wrapped
    if binding:
        c, m = (x.encode("utf-8") for x in binding)
        block = bytes([len(c)]) + c + bytes([len(m)]) + m
        block += b"\x00" * (BINDING_BLOCK - len(block))
        header += aead_for(suite, hkdf(file_key, b"mecam/v2 binding key")).encrypt(
            b"\x00" * 12, block, fixed)
    header += hmac.new(hkdf(file_key, b"mecam/v1 header mac key"), bytes(header),
                       hashlib.sha256).digest()
    ct = content_type.encode("utf-8")
    trailer_len = TAIL_LEN + len(ct)
    unpadded = len(plain) + trailer_len
    padding = padme(unpadded) - unpadded if pad else 0
    trailer = ct + struct.pack(">QQQ", len(plain), len(plain), padding) \
        + hashlib.sha256(plain).digest() + bytes([len(ct)])
    inner = plain + b"\x00" * padding + trailer
    aead = aead_for(suite, hkdf(file_key, b"mecam/v1 payload key"))
    seg = 1 << seg_log
    n = -(-len(inner) // seg)
    out = bytearray(header)
    for i in range(n):
        nonce = prefix + struct.pack(">I", i) + (b"\x01" if i == n - 1 else b"\x00")
        out += aead.encrypt(nonce, inner[i * seg:(i + 1) * seg], b"")
    return bytes(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("decrypt")
    d.add_argument("--key-file")
    d.add_argument("--passphrase-file")
    d.add_argument("--private-key-hex")
    d.add_argument("--expect-camera")
    d.add_argument("--expect-media")
    d.add_argument("files", nargs="+")
    e = sub.add_parser("encrypt")
    e.add_argument("--recipient", action="append", required=True)
    e.add_argument("--content-type", default="application/octet-stream")
    e.add_argument("--suite", choices=["aes", "chacha"], default="aes")
    e.add_argument("--segment-log", type=int, default=16)
    e.add_argument("--pad", action="store_true")
    e.add_argument("--camera")
    e.add_argument("--media")
    e.add_argument("files", nargs="+")
    a = ap.parse_args()
    if len(a.files) % 2:
        ap.error("give IN OUT pairs")
    sk = None
    if a.cmd == "decrypt":
        if a.private_key_hex:
            sk = X25519PrivateKey.from_private_bytes(bytes.fromhex(a.private_key_hex))
        else:
            with open(a.passphrase_file, encoding="utf-8") as f:
                passphrase = f.read().rstrip("\r\n")
            try:
                sk = unlock_key_file(a.key_file, passphrase)
            except FormatError as ex:
                print("error: %s" % ex)
                sys.exit(1)
    failed = False
    for src, dst in zip(a.files[0::2], a.files[1::2]):
        try:
            with open(src, "rb") as f:
                data = f.read()
            if a.cmd == "decrypt":
                expect = (a.expect_camera, a.expect_media) if a.expect_media else None
                plain, content_type, version, binding = decrypt(data, sk, expect)
                with open(dst, "wb") as f:
                    f.write(plain)
                print(json.dumps({"file": src, "version": version,
                                  "camera": binding[0] if binding else None,
                                  "media": binding[1] if binding else None,
                                  "contentType": content_type, "size": len(plain),
                                  "sha256": hashlib.sha256(plain).hexdigest()}))
            else:
                out = encrypt(data, [parse_public_key(r) for r in a.recipient], a.content_type,
                              1 if a.suite == "aes" else 2, a.segment_log, a.pad,
                              (a.camera, a.media) if a.media else None)
                with open(dst, "wb") as f:
                    f.write(out)
        except FormatError as ex:
            print("error: %s: %s" % (src, ex))
            failed = True
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
