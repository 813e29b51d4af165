"""Tests of the raqmya_track user partition scheme with partition objects of the platform's shape."""

from __future__ import annotations

from importlib.metadata import entry_points

import pytest
from django.contrib.auth.models import AnonymousUser

from raqmya_reports.partitions import TRACK_PARTITION_ID, TrackPartitionScheme, create_track_partition
from raqmya_reports.platform_backends.standalone import Group, UserPartition
from raqmya_reports.registry.models import BeneficiaryProfile

from .factories import make_profile, make_user

COURSE_KEY = "course-v1:Raqmya+DIGI101+2026"


@pytest.fixture(name="partition")
def fixture_partition():
    return TrackPartitionScheme.create_user_partition(TRACK_PARTITION_ID, "Parcours", "Un parcours par unité")


def learner_of(track: str | None):
    user = make_user()
    make_profile(user)
    BeneficiaryProfile.objects.filter(user=user).update(track=track or "")
    return user


def test_scheme_is_registered_on_the_platform_entry_point():
    names = {entry.name: entry.value for entry in entry_points(group="openedx.user_partition_scheme")}
    assert names["raqmya_track"] == "raqmya_reports.partitions:TrackPartitionScheme"


def test_create_user_partition_has_one_group_per_track(partition):
    assert [(group.id, group.name) for group in partition.groups] == [
        (1, "Perfectionnement digital"), (2, "Acculturation digitale")]


def test_create_user_partition_uses_the_platform_classes(partition):
    assert isinstance(partition, UserPartition)
    assert isinstance(partition.groups[0], Group)


def test_create_user_partition_points_back_to_the_scheme(partition):
    assert partition.scheme is TrackPartitionScheme


def test_create_user_partition_keeps_groups_given_by_the_platform():
    partition = TrackPartitionScheme.create_user_partition(71, "p", "d", groups=[Group(2, "B")])
    assert [group.id for group in partition.groups] == [2]


@pytest.mark.django_db
def test_group_for_a_perfectionnement_learner_is_group_1(partition):
    group = TrackPartitionScheme.get_group_for_user(COURSE_KEY, learner_of("perfectionnement"), partition)
    assert group.id == 1


@pytest.mark.django_db
def test_group_for_an_acculturation_learner_is_group_2(partition):
    group = TrackPartitionScheme.get_group_for_user(COURSE_KEY, learner_of("acculturation"), partition)
    assert group.id == 2


@pytest.mark.django_db
def test_group_for_a_learner_without_a_track_is_none(partition):
    assert TrackPartitionScheme.get_group_for_user(COURSE_KEY, learner_of(None), partition) is None


@pytest.mark.django_db
def test_group_for_a_user_without_a_profile_is_none(partition):
    assert TrackPartitionScheme.get_group_for_user(COURSE_KEY, make_user(), partition) is None


def test_group_for_an_anonymous_user_is_none(partition):
    assert TrackPartitionScheme.get_group_for_user(COURSE_KEY, AnonymousUser(), partition) is None


@pytest.mark.django_db
def test_group_missing_from_the_partition_is_none():
    partition = TrackPartitionScheme.create_user_partition(71, "p", "d", groups=[Group(2, "B")])
    assert TrackPartitionScheme.get_group_for_user(COURSE_KEY, learner_of("perfectionnement"), partition) is None


def test_track_partition_of_a_course_has_the_programme_partition_id():
    assert create_track_partition().id == 70


def test_scheme_groups_are_read_only():
    assert TrackPartitionScheme.read_only is True
