"""No planted secret reaches any output (issue #8, item 3).

Known secrets of every kind — enable and user passwords, SNMP communities (both forms) and v3
keys, TACACS+/RADIUS keys, IKE pre-shared keys, key-chain, OSPF/NTP/BGP keys, the config master key,
a pasted PEM private key, a secret on a line no parser understands — are planted in each vendor's
sample, next to FortiOS ``ENC`` values, a PAN-OS ``phash`` and Junos hashes in files of platforms
netaudit refuses. Then every output is rendered (``outputs.py``: every report format, the diff,
the diagrams, the review workbook, a query, the CLI's stdout and stderr) and grepped for them.
"""

from __future__ import annotations

import pytest

from netaudit.secrets import MASK, mask_lines, mask_secrets
from tests.robustness.outputs import everything
from tests.robustness.support import ROOT, sample_pair

PLANTED = {
    "rtr-branch.cfg": [
        "enable secret level 5 5 $1$PlantA01$IosLevelFive",
        "username planted privilege 15 password 0 PlantA02IosUser",
        "snmp-server community PlantA03IosComm RW",
        "snmp-server host 10.99.0.35 version 2c PlantA04IosHostComm",
        "snmp-server user v3u grp v3 auth sha PlantA05IosAuth priv aes 128 PlantA06IosPriv",
        "tacacs-server host 10.99.0.21 key 0 PlantA07IosTac",
        "radius-server host 10.99.0.20 key PlantA08IosRad",
        "crypto isakmp key PlantA09IosPsk address 203.0.113.9",
        "key chain PLANTED-KC", " key 1", "  key-string PlantA10IosKeyString",
        "ntp authentication-key 1 md5 PlantA11IosNtp",
        "key config-key password-encrypt PlantA12IosMaster",
        "router bgp 65001", " neighbor 10.0.0.2 password PlantA13IosBgp",
        "interface Tunnel9", " ip ospf message-digest-key 1 md5 PlantA14IosOspf",
        " standby 1 authentication text PlantA15IosHsrp",
        "frobnicate-server secret PlantA16IosUnrecognized",
        "-----BEGIN RSA PRIVATE KEY-----", "MIIEpPlantA17IosPemBodyAAAAB3NzaC1yc2E", "-----END RSA PRIVATE KEY-----",
    ],
    "dc-sw01.cfg": [
        "username planted password 0 PlantB01NxUser role network-admin",
        "snmp-server community PlantB02NxComm group network-operator",
        "snmp-server user planted network-admin auth md5 PlantB03NxAuth priv PlantB04NxPriv localizedkey",
        'tacacs-server host 10.99.0.23 key 0 "PlantB05NxTac"',
        "radius-server host 10.99.0.20 key 0 PlantB06NxRad",
        "key chain PLANTED", "  key 1", "    key-string 0 PlantB07NxKeyString",
        "snmp-server host 10.99.0.35 traps version 2c PlantB08NxHostComm",
    ],
    "fw-edge.cfg": [
        "enable password PlantC01AsaEnable",
        "username planted password PlantC02AsaUser privilege 15",
        "passwd PlantC03AsaPasswd",
        "snmp-server host management 10.99.0.36 community PlantC04AsaComm version 2c",
        "snmp-server community PlantC05AsaComm2",
        "tunnel-group 198.51.100.9 type ipsec-l2l",
        "tunnel-group 198.51.100.9 ipsec-attributes",
        " ikev1 pre-shared-key PlantC06AsaPsk1",
        " ikev2 remote-authentication pre-shared-key PlantC07AsaPsk2",
        " ikev2 local-authentication pre-shared-key PlantC08AsaPsk3",
        "aaa-server FL_TACACS (management) host 10.99.0.29", " key PlantC09AsaTac",
        "aaa-server FL_LDAP_AD (inside) host 10.99.0.26", " ldap-login-password PlantC10AsaLdap",
        "failover key PlantC11AsaFailover",
        "ntp authentication-key 2 md5 PlantC12AsaNtp",
    ],
}
UNSUPPORTED = {
    "fgt-01.conf": "#config-version=FGT60F-7.2.5\nconfig system global\n    set hostname fgt-01\nend\nconfig system admin\n"
                   "    edit admin\n        set password ENC PlantD01FortiEnc\n    next\nend\nconfig vpn ipsec phase1-interface\n"
                   "    edit hq\n        set psksecret ENC PlantD02FortiPsk\n    next\nend\n",
    "pa-01.xml": "<config version=\"10.1.0\"><mgt-config><users><entry name=\"admin\"><phash>$1$PlantE01PanHash</phash>"
                 "</entry></users></mgt-config><devices></devices></config>\n",
    "pa-02.set": "set deviceconfig system hostname pa-02\nset mgt-config users admin phash $1$PlantE02PanSet\n",
    "srx-01.conf": "## Last commit: 2026\nversion 21.4R3;\nsystem {\n    root-authentication {\n"
                   "        encrypted-password \"$6$PlantF01JunosRoot\";\n    }\n}\n",
}
SECRETS = sorted({word.strip('"') for lines in PLANTED.values() for line in lines for word in line.split() if "Plant" in word}
                 | {"PlantD01FortiEnc", "PlantD02FortiPsk", "PlantE01PanHash", "PlantE02PanSet", "PlantF01JunosRoot"})
TOKENS = sorted({secret[secret.index("Plant"):] for secret in SECRETS})  # the distinctive part, whatever wraps it


def planted(text: str, lines: list[str]) -> str:
    """The lines put before the closing ``end`` (IOS/NX-OS) or ``: end`` (ASA), else at the end."""
    rows = text.split("\n")
    for index in range(len(rows) - 1, -1, -1):
        if rows[index].strip() in ("end", ": end"):
            return "\n".join(rows[:index] + lines + rows[index:])
    return "\n".join(rows + lines)


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    work = tmp_path_factory.mktemp("planted")
    base, head = sample_pair(work)
    for name, lines in PLANTED.items():
        path = head / name
        path.write_text(planted(path.read_text(encoding="utf-8"), lines), encoding="utf-8")
    for name, text in UNSUPPORTED.items():
        (head / name).write_text(text, encoding="utf-8")
    return everything(head, base, ROOT / "topology" / "network.yaml", work)


def test_the_plants_reach_the_outputs_masked(outputs: dict[str, str]) -> None:
    """Not vacuous: the planted lines are evidence, changed lines and unrecognized lines — masked."""
    assert "snmp-server community <masked> RW" in outputs["json"]
    assert "frobnicate-server secret <masked>" in outputs["diff-json"]  # a line no parser understands, masked all the same
    assert f"\"{MASK}\"" in outputs["diff-json"]  # the PEM body among the added lines, blanked
    assert "pre-shared-key <masked>" in outputs["diff-json"]
    assert sum(name in outputs["json"] for name in UNSUPPORTED) == len(UNSUPPORTED)  # listed as not assessed


@pytest.mark.parametrize("token", TOKENS)
def test_no_planted_secret_in_any_output(outputs: dict[str, str], token: str) -> None:
    leaks = [name for name, text in outputs.items() if token in text]
    assert not leaks, f"{token} appears in {leaks}"


def test_every_output_format_was_rendered(outputs: dict[str, str]) -> None:
    for name in ("text", "json", "html", "sarif", "junit", "markdown", "diff-text", "diff-json", "diff-markdown",
                 "diff-sarif", "diff-junit", "diff-html", "diagram-dot", "diagram-drawio", "diagram-mermaid", "cli-stderr"):
        assert name in outputs, name


@pytest.mark.parametrize(("line", "secret"), [
    ("    set password ENC PlantG01", "PlantG01"),
    ("    set psksecret ENC PlantG02", "PlantG02"),
    ("    set passwd ENC PlantG03", "PlantG03"),
    ("<entry name='admin'><phash>$1$PlantG04</phash></entry>", "PlantG04"),
    ("set mgt-config users admin phash $1$PlantG05", "PlantG05"),
    ('    pre-shared-key ascii-text "$9$PlantG06";', "PlantG06"),
    ('    encrypted-password "$6$PlantG07";', "PlantG07"),
    ("key config-key password-encrypt PlantG08", "PlantG08"),
    (" wpa-psk ascii 0 PlantG09", "PlantG09"),
    ("enable secret level 5 5 PlantG10", "PlantG10"),
    ("<password>PlantG11</password>", "PlantG11"),
])
def test_vendor_secret_forms_are_masked(line: str, secret: str) -> None:
    assert secret not in mask_secrets(line)


def test_pem_private_key_bodies_are_blanked() -> None:
    lines = ["crypto pki import", "-----BEGIN ENCRYPTED PRIVATE KEY-----", "  MIIFHDBOBgkqhkiG9w0BBQ0wQTApBgkq",
             "  PlantH01", "-----END ENCRYPTED PRIVATE KEY-----", "-----BEGIN CERTIFICATE-----", "MIIcertificate", "-----END CERTIFICATE-----"]
    masked = mask_lines(lines)
    assert masked[2:4] == [f"  {MASK}", f"  {MASK}"] and masked[6] == "MIIcertificate"  # a certificate is public
