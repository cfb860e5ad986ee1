"""Secrets never leave the parser: the masking of every form of password, key and community."""

from __future__ import annotations

import pytest

from netaudit.secrets import MASK, mask_secrets

CASES = [
    ("enable secret 9 $9$abc$def", "enable secret 9 <masked>"),
    ("enable password 7 0822455D0A16", "enable password 7 <masked>"),
    ("enable password 2KFQnbNIdI.2KYOU encrypted", "enable password <masked> encrypted"),
    ("username admin privilege 15 password 7 0822455D0A16", "username admin privilege 15 password 7 <masked>"),
    ("username u password $sha512$5000$abc pbkdf2 privilege 15", "username u password <masked> pbkdf2 privilege 15"),
    ("snmp-server community public RO 10", "snmp-server community <masked> RO 10"),
    ("snmp-server host 10.1.1.1 version 2c s3cr3t", "snmp-server host 10.1.1.1 version 2c <masked>"),
    ("snmp-server host 10.1.1.1 PUBX", "snmp-server host 10.1.1.1 <masked>"),
    ("snmp-server host inside 10.1.1.1 community pub version 2c", "snmp-server host inside 10.1.1.1 community <masked> version 2c"),
    ("snmp-server user u g v3 auth sha AUTHP priv aes 128 PRIVP", "snmp-server user u g v3 auth sha <masked> priv aes 128 <masked>"),
    ("tacacs-server host 10.1.1.1 key 7 \"045802150C2E\"", "tacacs-server host 10.1.1.1 key 7 <masked>"),
    (" key 6 ABCDEFGHIJ", " key 6 <masked>"),
    ("radius-server host 10.1.1.1 key RKEY", "radius-server host 10.1.1.1 key <masked>"),
    ("crypto isakmp key K1 address 203.0.113.2", "crypto isakmp key <masked> address 203.0.113.2"),
    (" ikev1 pre-shared-key Sup3r", " ikev1 pre-shared-key <masked>"),
    (" ip ospf message-digest-key 1 md5 7 XYZ", " ip ospf message-digest-key 1 md5 7 <masked>"),
    ("ntp authentication-key 1 md5 NTPKEY 7", "ntp authentication-key 1 md5 <masked> 7"),
    (" set password ENC SH2abc", " set password ENC <masked>"),
    (" set psksecret ENC abc", " set psksecret ENC <masked>"),
    (" authentication key eigrp 100 MYKEY", " authentication key eigrp 100 <masked>"),
    (" radius-common-pw SEKRIT", " radius-common-pw <masked>"),
]
UNTOUCHED = ["crypto key generate rsa modulus 2048", "aaa-server TAC (inside) host 10.1.1.1", "no service password-encryption",
             "snmp-server enable traps", "key chain BGP-KEYS", "snmp-server host 10.0.0.1 use-vrf management"]


@pytest.mark.parametrize(("line", "masked"), CASES)
def test_secret_values_are_masked(line: str, masked: str) -> None:
    assert mask_secrets(line) == masked


@pytest.mark.parametrize("line", UNTOUCHED)
def test_lines_without_secrets_are_kept(line: str) -> None:
    assert mask_secrets(line) == line
    assert MASK not in mask_secrets(line)


@pytest.mark.parametrize(("line", "masked"), [
    ("snmp-server user admin network-admin auth md5 AUTHK priv PRIVK localizedkey", "snmp-server user admin network-admin auth md5 <masked> priv <masked> localizedkey"),
    ("snmp-server user admin network-admin auth sha AUTHK priv aes-128 PRIVK", "snmp-server user admin network-admin auth sha <masked> priv aes-128 <masked>"),
    (" pre-shared-key local 0 LOCALK", " pre-shared-key local 0 <masked>"),
    (" standby 1 authentication text HSRPK", " standby 1 authentication text <masked>"),
    ("  password 3 BGPKEY", "  password 3 <masked>"),
])
def test_more_secret_forms(line: str, masked: str) -> None:
    assert mask_secrets(line) == masked
