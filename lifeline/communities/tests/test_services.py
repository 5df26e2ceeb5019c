"""The writes of community profiles (``communities/services``) that the pages and the API both call."""

import pytest
from django.core.exceptions import PermissionDenied

from lifeline.communities import services
from lifeline.communities.models import CommunityProfile
from lifeline.core.models import AuditEntry, Language, Role
from lifeline.core.versions import ChangedMeanwhile, fingerprint
from lifeline.directory.models import KeyContact


def _values(org, areas, origins, **extra):
    return {
        "organisation": org,
        "name": "Nepali workers in Irbid",
        "origin_countries": [origins["NP"]],
        "languages": [Language.lookup("ne")],
        "areas": [areas["irbid"]],
        "vulnerabilities": ["language", "documents_held", "language"],
        **extra,
    }


def test_create_saves_links_and_a_first_version_audited_as_the_actor(
    make_user, org_a, areas, origins, leader
):
    user = make_user(org_a)
    profile = services.save_profile(
        user, None, _values(org_a, areas, origins, focal_points=[leader]), note="from the survey"
    )
    profile.refresh_from_db()
    assert profile.vulnerabilities == ["documents_held", "language"]
    assert list(profile.focal_points.all()) == [leader] and list(profile.areas.all()) == [areas["irbid"]]
    assert profile.version == 1 and profile.versions.get().note == "from the survey"
    assert (
        AuditEntry.objects.get(
            action="create", object_type="communities.communityprofile", object_id=str(profile.pk)
        ).actor_id
        == user.pk
    )


def test_refused_input_names_every_field_and_saves_nothing(make_user, org_a, org_b, areas, origins):
    elsewhere = KeyContact.objects.create(organisation=org_b, name="Not seen by A")
    with pytest.raises(services.Invalid) as refused:
        services.save_profile(
            make_user(org_a),
            None,
            _values(
                org_b, areas, origins, name="", focal_points=[elsewhere], children_pct=80, elderly_pct=30
            ),
        )
    assert set(refused.value.errors) == {"organisation", "name", "focal_points", "elderly_pct"}
    assert CommunityProfile.objects.count() == 0


def test_a_role_that_may_not_change_profiles_is_refused(make_user, org_a, areas, origins, profile_a):
    viewer = make_user(org_a, role=Role.VIEWER)
    with pytest.raises(PermissionDenied):
        services.save_profile(viewer, None, _values(org_a, areas, origins))
    with pytest.raises(PermissionDenied):
        services.delete_profile(viewer, profile_a)
    assert CommunityProfile.objects.count() == 1


def test_a_change_over_a_version_its_author_did_not_see_is_refused(make_user, org_a, areas, origins):
    user = make_user(org_a)
    profile = services.save_profile(user, None, _values(org_a, areas, origins))
    seen = fingerprint(profile)
    services.save_profile(
        user, CommunityProfile.objects.get(pk=profile.pk), _values(org_a, areas, origins, media="radio")
    )
    with pytest.raises(ChangedMeanwhile):
        services.save_profile(
            user,
            CommunityProfile.objects.get(pk=profile.pk),
            _values(org_a, areas, origins, media="tv"),
            version=seen,
        )
    profile.refresh_from_db()
    assert profile.media == "radio" and profile.version == 2
