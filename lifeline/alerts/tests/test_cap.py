"""CAP in and out, against the OASIS schema and real messages."""

import pytest
from lxml import etree

from lifeline.alerts import hazards
from lifeline.alerts.cap import CAP11, CAP12, CapError, parse, schema, to_cap_xml
from lifeline.alerts.services import publish_override

from .conftest import CAP_DIR, VALID_SAMPLES, make_draft, sample

pytestmark = pytest.mark.skipif(not CAP_DIR.exists(), reason="the shared CAP data is not beside the project")


@pytest.mark.parametrize("name", VALID_SAMPLES)
def test_every_real_sample_parses(name):
    alert = parse(sample(name))
    assert alert["identifier"] and alert["sender"] and alert["sent"] is not None
    assert alert["status"] in ("Actual", "Exercise")


def test_prefixed_message_with_an_info_block_without_language_defaults_to_en_us():
    alert = parse(sample("cap12_sambro_philippines_tropical_cyclone_tl_en.xml"))
    assert [i["language"] for i in alert["info"]] == ["en-US", "tl"]
    assert alert["status"] == "Exercise"
    assert alert["info"][0]["areas"][0]["polygons"]


def test_four_languages_and_geocodes():
    alert = parse(sample("cap12_be_kmi_irm_update_4lang.xml"))
    assert [i["language"] for i in alert["info"]] == ["nl-BE", "fr-BE", "en-GB", "de-DE"]
    assert alert["msg_type"] == "Update" and alert["references"].startswith("kmi-irm,")
    assert alert["info"][0]["areas"][0]["geocodes"] == [{"valueName": "NUTS2", "value": "BE21"}]
    assert {"valueName": "awareness_type", "value": "10; Rain"} in alert["info"][0]["parameters"]


def test_signed_cancel_is_valid_and_signature_noted():
    alert = parse(sample("cap12_ipaws_nv_cancel_signed.xml"))
    assert alert["signed"] and alert["msg_type"] == "Cancel" and alert["info"] == []


def test_circle_and_polygon_read():
    fire = parse(sample("cap12_au_nsw_rfs_bushfire_circle.xml"))
    assert fire["info"][0]["areas"][0]["circles"] == ["-35.3888,147.0598 25.0"]
    storm = parse(sample("cap12_oasis_nws_thunderstorm_polygon_geocode.xml"))
    area = storm["info"][0]["areas"][0]
    assert area["polygons"] == ["38.47,-120.14 38.34,-119.95 38.52,-119.74 38.62,-119.89 38.47,-120.14"]
    assert {"valueName": "SAME", "value": "006109"} in area["geocodes"]


def test_byte_order_mark_is_accepted():
    assert (
        parse(b"\xef\xbb\xbf" + sample("cap12_oasis_nws_thunderstorm_polygon_geocode.xml"))["identifier"]
        == "KSTO1055887203"
    )


def test_missing_scope_is_refused_with_line():
    with pytest.raises(CapError) as caught:
        parse(sample("invalid_cap12_missing_scope.xml"))
    line, message = caught.value.errors[0]
    assert line == 9 and "scope" in message


def test_a_feed_is_not_an_alert():
    with pytest.raises(CapError, match="not a CAP"):
        parse(sample("feed_atom_nws_weather_index_small.xml"))


@pytest.mark.parametrize("data", [b"", b"not xml at all", b"<alert", "<alert>\u00e9</alert".encode()])
def test_not_xml_is_refused(data):
    with pytest.raises(CapError):
        parse(data)


def test_doctype_and_entities_are_refused_never_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    xxe = (
        f'<?xml version="1.0"?><!DOCTYPE alert [<!ENTITY x SYSTEM "file://{secret}">]>'
        f'<alert xmlns="{CAP12}"><identifier>&x;</identifier></alert>'
    ).encode()
    with pytest.raises(CapError, match="DOCTYPE") as caught:
        parse(xxe)
    assert "TOP SECRET" not in str(caught.value)
    laughs = b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><lolz>&lol2;</lolz>'
    with pytest.raises(CapError, match="DOCTYPE"):
        parse(laughs)


def _thunderstorm(replace_from, replace_to):
    return sample("cap12_oasis_nws_thunderstorm_polygon_geocode.xml").replace(replace_from, replace_to)


def test_open_polygon_is_refused():
    data = _thunderstorm(b"38.62,-119.89 38.47,-120.14</polygon>", b"38.62,-119.89</polygon>")
    with pytest.raises(CapError, match="closed"):
        parse(data)


def test_polygon_of_three_points_is_refused():
    data = _thunderstorm(
        b"38.47,-120.14 38.34,-119.95 38.52,-119.74 38.62,-119.89 38.47,-120.14",
        b"38.47,-120.14 38.34,-119.95 38.47,-120.14",
    )
    with pytest.raises(CapError, match="four points"):
        parse(data)


def test_bad_date_is_refused():
    with pytest.raises(CapError):
        parse(_thunderstorm(b"2003-06-17T16:00:00-07:00", b"2003-06-17 16:00"))
    with pytest.raises(CapError, match="expires"):
        parse(_thunderstorm(b"2003-06-17T16:00:00-07:00", b"2003-02-30T16:00:00-07:00"))


def test_bad_date_in_cap11_is_refused_by_our_own_check():
    with pytest.raises(CapError, match="not a valid date"):
        parse(CAP11_MESSAGE.replace(b"2010-08-31T00:09:25+00:00", b"2010-02-30T00:09:25+00:00"))


def test_wrong_root_is_refused():
    with pytest.raises(CapError, match="root"):
        parse(f'<message xmlns="{CAP12}"/>'.encode())


CAP11_MESSAGE = f"""<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="{CAP11}">
  <identifier>KSTO-11</identifier><sender>w-nws@noaa.gov</sender><sent>2010-08-31T00:09:25+00:00</sent>
  <status>Actual</status><msgType>Alert</msgType><scope>Public</scope>
  <info><category>Met</category><event>Flood</event><urgency>Expected</urgency><severity>Moderate</severity>
    <certainty>Very Likely</certainty><headline>Flood watch</headline>
    <area><areaDesc>Valley</areaDesc><circle>38.0,-120.0 5</circle></area></info>
</alert>""".encode()


def test_cap11_is_read_with_12_values():
    alert = parse(CAP11_MESSAGE)
    assert alert["version"] == "1.1"
    assert alert["info"][0]["certainty"] == "Likely"
    assert alert["info"][0]["language"] == "en-US"


def test_cap11_without_required_elements_is_refused():
    with pytest.raises(CapError) as caught:
        parse(CAP11_MESSAGE.replace(b"<scope>Public</scope>", b"").replace(b"<event>Flood</event>", b""))
    text = " ".join(m for _line, m in caught.value.errors)
    assert "scope" in text and "event" in text


@pytest.mark.parametrize("key", list(hazards.HAZARDS))
def test_every_template_publishes_as_valid_cap_and_round_trips(key, org_a, make_user, areas):
    author = make_user(org_a)
    alert = make_draft(org_a, author, hazard=key, languages=None, admin_areas=[areas["amman"]])
    publish_override(alert, author, "test of the template")
    xml = to_cap_xml(alert)
    assert schema().validate(etree.fromstring(xml)), schema().error_log
    again = parse(xml)
    assert again["identifier"] == alert.identifier and again["sent"] == alert.sent
    assert [i["language"] for i in again["info"]] == [i.language for i in alert.info.all()]
    first = again["info"][0]
    assert first["headline"] == alert.info.first().headline
    assert (
        first["areas"][0]["polygons"]
        and {"valueName": "PCODE", "value": "JO11"} in first["areas"][0]["geocodes"]
    )
