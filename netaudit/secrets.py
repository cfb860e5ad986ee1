"""Masking of passwords, keys and communities in configuration text.

Parsers pass every line they keep as evidence through ``mask_secrets`` before it enters the model,
so no report, log or error message can ever print a secret: the value is gone before anything
downstream sees it. The storage scheme (``password 7``, ``ENC``) stays visible, because the
weak-storage finding needs it as evidence.
"""

from __future__ import annotations

import re

MASK = "<masked>"

# keyword [scheme] VALUE — the value is the token after the keyword and an optional scheme marker.
_KEYWORD_VALUE = re.compile(
    r"""(?ix)
    (?P<head>
      (?<![\w-])(?:password|passwd|secret|key|key-string|authentication-key|pre-shared-key|psksecret|
          community|auth-password|priv-password|
          ldap-login-password|encrypted-password|phash|private-key|passphrase|secondary-secret|
          shared-secret|server-key|tacacs-server-key|radius-server-key|ascii-key|hex-key|radius-common-pw|
          password-encrypt|wpa-psk)
      \s+
      (?:(?:\d|encrypted|ENC|unencrypted|ascii|hex|clear|plain-text|local|remote|md5|sha1|sha256|eigrp\s+\d+|
          ascii-text|hexadecimal|level\s+\d+)\s+){0,3}
    )
    (?P<value>"[^"]*"|'[^']*'|\S+)
    """
)
# The community of 'snmp-server host [IF] HOST [informs|traps] [version 1|2c|3 LEVEL] COMMUNITY ...'
# stands where no keyword precedes it.
_SNMP_HOST = re.compile(r"(?i)^\s*snmp-server\s+host\s+")
_SNMP_HOST_SKIP_ONE = {"informs", "traps", "poll"}
_SNMP_HOST_SKIP_TWO = {"vrf", "use-vrf", "udp-port", "community", "source-interface", "filter-vrf"}
# SNMPv3 'auth sha VALUE priv aes 128 VALUE' and OSPF/BGP 'message-digest-key 1 md5 VALUE'.
_ALGORITHM_VALUE = re.compile(
    r"(?i)(?P<head>(?<![\w-])(?:(?:auth|message-digest-key\s+\d+)\s+(?:md5|sha\S*|aes(?:-\d+|\s+\d+)?|des|3des)|priv(?:\s+(?:aes(?:-\d+|\s+\d+)?|des|3des))?|authentication\s+text)\s+(?:[0-9]\s+)?)(?P<value>\S+)"
)
# XML configurations (PAN-OS, NETCONF dumps) carry secrets as element text: <phash>…</phash>.
_XML_ELEMENT = re.compile(
    r"(?i)(?P<head><(?P<tag>phash|password|passwd|secret|key|pre-shared-key|community|community-string|"
    r"auth-password|priv-password|private-key|passphrase|encrypted-password|authentication-key)(?:\s[^>]*)?>)"
    r"(?P<value>[^<]+)(?=</(?P=tag)>)"
)
# PEM private keys span lines whose text carries no keyword to mask on (README: secrets).
_PEM_PRIVATE_BEGIN = re.compile(r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----")
_PEM_END = re.compile(r"-----END [A-Z0-9 ]*-----")
_NOT_A_VALUE = {MASK.lower()}
_SNMP_HOST_KEYWORDS = {"community", "version", "informs", "traps", "poll", "udp-port", "vrf", "use-vrf"}


def mask_secrets(text: str) -> str:
    """Return the line with every secret value replaced by ``<masked>``."""
    masked = _ALGORITHM_VALUE.sub(_replace, text)
    masked = _KEYWORD_VALUE.sub(_replace, masked)
    if "<" in masked:
        masked = _XML_ELEMENT.sub(_replace, masked)
    if _SNMP_HOST.match(masked):
        masked = _mask_snmp_host_community(masked)
    return masked


def private_key_lines(lines: list[str]) -> set[int]:
    """0-based indexes of the body lines of PEM private keys: wholly secret, with no keyword in them.

    Cheap enough to run over every file (a substring test per line) because ``mask_secrets`` alone,
    line by line, would let a pasted key's base64 body through.
    """
    inside, found = False, set()
    for index, line in enumerate(lines):
        if "-----" not in line and not inside:
            continue
        if not inside and _PEM_PRIVATE_BEGIN.search(line):
            inside = not _PEM_END.search(line[_PEM_PRIVATE_BEGIN.search(line).end():])  # type: ignore[union-attr]
        elif inside:
            if _PEM_END.search(line):
                inside = False
            else:
                found.add(index)
    return found


def mask_lines(lines: list[str]) -> list[str]:
    """Every line masked, private key bodies blanked to their indentation plus ``<masked>``."""
    hidden = private_key_lines(lines)
    return [line[: len(line) - len(line.lstrip())] + MASK if index in hidden else mask_secrets(line)
            for index, line in enumerate(lines)]


def _mask_snmp_host_community(text: str) -> str:
    tokens = text.split()
    i = 2
    if i + 1 < len(tokens) and not _looks_like_address(tokens[i]) and _looks_like_address(tokens[i + 1]):
        i += 1  # ASA: 'snmp-server host inside 10.1.1.1 ...'
    i += 1  # the host
    while i < len(tokens):
        word = tokens[i].lower()
        if word == "community" or word == MASK.lower():
            return text  # the keyword form is masked by the keyword pattern
        if word in _SNMP_HOST_SKIP_ONE:
            i += 1
        elif word in _SNMP_HOST_SKIP_TWO:
            i += 2
        elif word == "version":
            i += 3 if i + 1 < len(tokens) and tokens[i + 1] == "3" else 2
        else:
            tokens[i] = MASK
            indent = text[: len(text) - len(text.lstrip())]
            return indent + " ".join(tokens)
    return text


def _looks_like_address(token: str) -> bool:
    return bool(re.fullmatch(r"[0-9a-fA-F.:]+", token)) and any(c in token for c in ".:")


def _replace(match: re.Match[str]) -> str:
    value = match.group("value")
    if value.lower() in _NOT_A_VALUE or _is_keyword_not_value(match.group("head"), value):
        return match.group(0)
    return match.group("head") + MASK


_FOLLOWING_KEYWORDS = {
    # 'key' and friends are followed by another keyword in these commands: nothing secret follows.
    "config-key", "chain", "exchange", "generate", "pubkey-chain", "hash", "ring", "source", "level",
    "encryption", "timeout", "retransmit", "ro", "rw", "view", "group", "authentication", "priv",
    "strength", "history", "lifetime", "type", "keepalive", "policy", "enable", "disable", "none", "rsa",
    "ecdsa", "label", "modulus", "size", "dh", "encryption-algorithm", "hashing", "prompt",
}


def _is_keyword_not_value(head: str, value: str) -> bool:
    """Lines like 'crypto key generate rsa' or 'snmp-server community ... ro' carry no secret there."""
    return value.lower() in _FOLLOWING_KEYWORDS
