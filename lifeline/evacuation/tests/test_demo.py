import random

from lifeline.evacuation import demo
from lifeline.evacuation.models import AssemblyPoint, ChildChecklist, Evacuee, Transport
from lifeline.plans.models import AnswerRecord


def test_the_demo_loads_once(crisis, people, post_amman):
    notes = []
    demo.load(
        orgs={"emb-amman": post_amman}, areas={}, countries={}, rng=random.Random(2026), write=notes.append
    )
    assert AssemblyPoint.objects.filter(crisis=crisis).count() == 2
    assert set(Transport.objects.values_list("kind", flat=True)) == {"bus", "flight"}
    assert (
        Evacuee.objects.filter(crisis=crisis).count() == 4
    )  # everyone inside the area (the demo takes up to 60)
    assert ChildChecklist.objects.count() == 3
    assert AnswerRecord.objects.filter(assessment__subject="evacuation.child", answer="yes").exists()
    before = (
        Evacuee.objects.count(),
        AnswerRecord.objects.count(),
        list(Evacuee.objects.values_list("status", flat=True)),
    )
    demo.load(
        orgs={"emb-amman": post_amman}, areas={}, countries={}, rng=random.Random(7), write=notes.append
    )
    assert (
        Evacuee.objects.count(),
        AnswerRecord.objects.count(),
        list(Evacuee.objects.values_list("status", flat=True)),
    ) == before
    assert AssemblyPoint.objects.count() == 2 and Transport.objects.count() == 2


def test_the_demo_skips_without_its_crisis(db):
    notes = []
    demo.load(orgs={}, areas={}, countries={}, rng=random.Random(1), write=notes.append)
    assert "skipped" in notes[0] and not AssemblyPoint.objects.exists()
