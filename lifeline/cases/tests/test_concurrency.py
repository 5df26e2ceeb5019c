from lifeline.cases import services
from lifeline.cases.models import Case


def test_a_submission_that_loses_the_race_returns_the_winners_case(monkeypatch, person):
    """Two copies of one submission arrive at once: both miss the first look-up, one insert wins, the other
    hits the unique key and answers with the winner's case."""
    winner, _ = services.create_case(
        registration=person, category="medical", summary="Fever", idempotency_key="race-00000001"
    )
    real = services._replay
    calls = []

    def first_call_misses(key, registration):
        calls.append(key)
        return None if len(calls) == 1 else real(key, registration)

    monkeypatch.setattr(services, "_replay", first_call_misses)
    loser, created = services.create_case(
        registration=person, category="medical", summary="Fever", idempotency_key="race-00000001"
    )
    assert (loser.pk, created, len(calls)) == (winner.pk, False, 2)
    assert Case.objects.count() == 1


def test_another_persons_key_is_refused(person, make_registration, post_amman):
    import pytest

    services.create_case(
        registration=person, category="medical", summary="Fever", idempotency_key="mine-00000001"
    )
    with pytest.raises(services.CaseError):
        services.create_case(
            registration=make_registration(post_amman),
            category="medical",
            summary="x",
            idempotency_key="mine-00000001",
        )
    assert Case.objects.count() == 1
