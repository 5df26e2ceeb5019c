from lifeline.messaging.channels.sms import encoding, segments


def test_short_gsm_text_is_one_part():
    assert segments("Flood warning: move to higher ground.") == ["Flood warning: move to higher ground."]
    assert segments("") == []


def test_gsm_limits_are_160_then_153_per_part():
    assert segments("a" * 160) == ["a" * 160]
    parts = segments("a" * 161)
    assert [len(p) for p in parts] == [153, 8]
    assert [len(p) for p in segments("a" * 306)] == [153, 153]
    assert len(segments("a" * 307)) == 3


def test_extension_characters_count_double_and_are_not_cut():
    assert encoding("price: 5€ [x]") == "gsm7"
    assert segments("€" * 80) == ["€" * 80]  # 160 septets
    parts = segments(
        "€" * 81
    )  # 162 septets: concatenated, 76 per part (152 septets, the 153rd cannot hold an escape)
    assert [len(p) for p in parts] == [76, 5]
    assert "".join(parts) == "€" * 81


def test_unicode_uses_ucs2_70_then_67():
    arabic = "تحذير من الفيضانات"
    assert encoding(arabic) == "ucs2"
    assert segments("ж" * 70) == ["ж" * 70]
    assert [len(p) for p in segments("ж" * 71)] == [67, 4]
    assert encoding("Ligtas ba kayo? Sumagot ng LIGTAS o TULONG.") == "gsm7"  # Filipino fits GSM-7


def test_one_character_outside_gsm_switches_the_whole_text_to_ucs2():
    text = "a" * 100 + "ç"  # ç is not in GSM-7 (only Ç is)
    assert encoding(text) == "ucs2"
    assert [len(p) for p in segments(text)] == [67, 34]


def test_emoji_take_two_ucs2_units_and_are_never_split():
    assert segments("a" * 66 + "😀" + "b") == ["a" * 66 + "😀" + "b"]  # 69 units: one message
    text = "a" * 66 + "😀" + "b" * 5  # 74 units: the emoji would straddle the first part's end
    parts = segments(text)
    assert parts == ["a" * 66, "😀bbbbb"]
    assert "".join(parts) == text
