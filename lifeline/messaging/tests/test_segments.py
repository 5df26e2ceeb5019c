"""SMS parts follow GSM 03.38: GSM-7 160/153 septets (extension characters count two), UCS-2 70/67."""

import pytest

from lifeline.messaging.segments import count


@pytest.mark.parametrize(
    "text, encoding, units, parts",
    [
        ("", "GSM-7", 0, 0),
        ("a" * 160, "GSM-7", 160, 1),
        ("a" * 161, "GSM-7", 161, 2),
        ("a" * 306, "GSM-7", 306, 2),
        ("a" * 307, "GSM-7", 307, 3),
        ("€" * 80, "GSM-7", 160, 1),  # the euro sign is in the extension table: two septets each
        ("€" + "a" * 159, "GSM-7", 161, 2),
        ("[]{}|~^\\", "GSM-7", 16, 1),
        ("ش" * 70, "UCS-2", 70, 1),  # Arabic sends the whole text as UCS-2
        ("ش" * 71, "UCS-2", 71, 2),
        ("ش" * 134, "UCS-2", 134, 2),
        ("ش" * 135, "UCS-2", 135, 3),
        ("Flood € تحذير", "UCS-2", 13, 1),  # one non-GSM character makes it all UCS-2; € then counts one
        ("🌊" * 35, "UCS-2", 70, 1),  # outside the BMP: two UTF-16 units each
    ],
)
def test_parts_by_encoding(text, encoding, units, parts):
    result = count(text)
    assert (result.encoding, result.units, result.segments) == (encoding, units, parts)


def test_a_two_septet_character_is_not_split_across_parts():
    # 152 plain characters then a euro: 154 septets in all, but the euro cannot straddle the
    # 153-septet boundary, so it opens the second part.
    result = count("a" * 152 + "€" + "a" * 152)
    assert result.units == 306 and result.segments == 3
    assert count("a" * 151 + "€" + "a" * 153).segments == 2


def test_the_counter_endpoint_answers_with_the_same_function(login, make_user, org_a):
    client = login(make_user(org_a))
    answer = client.get("/messaging/segments.json", {"text": "تحذير من سيول"}).json()
    assert answer == count("تحذير من سيول").as_dict() and answer["encoding"] == "UCS-2"
