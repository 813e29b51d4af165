"""The shape of the learner's summary, for the OpenAPI schema of ``/api/raqmya/v1/me/``.

The view returns the dict of ``learner.data.learner_summary`` as is; these serializers only describe it.
"""

from __future__ import annotations

from rest_framework import serializers


class TrackSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """The learner's track: its code and its name."""

    code = serializers.CharField()
    name = serializers.CharField()


class CohortSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """The learner's latest cohort and its dates."""

    name = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()


class AreaLevelSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """One DigComp area: the placement level and the share of assessment points earned in it."""

    code = serializers.CharField()
    name = serializers.CharField()
    placement_level = serializers.IntegerField(allow_null=True)
    # Points earned over points possible in the last attempt at each assessment, in percent.
    assessment_percent = serializers.FloatField(allow_null=True)


class RecommendedCourseSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """One recommended course: its key, its name, its about page when the platform has one, and whether it is passed."""

    course_key = serializers.CharField()
    # The catalogue's title, else the platform's display name, else the course key.
    name = serializers.CharField()
    about_url = serializers.CharField(allow_null=True)
    done = serializers.BooleanField()


class HoursSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """Learning hours of the courses passed, against the hours of the learner's track."""

    completed = serializers.FloatField()
    track = serializers.FloatField()


class RetakeSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """The address of the placement test and the time from which the learner may take it again."""

    url = serializers.CharField(allow_null=True)
    available_at = serializers.DateTimeField()
    allowed = serializers.BooleanField()


class LearnerSummarySerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """The signed-in learner's summary: track, cohort, areas, courses, hours and placement retake."""

    track = TrackSerializer(allow_null=True)
    cohort = CohortSerializer(allow_null=True)
    areas = AreaLevelSerializer(many=True)
    courses = RecommendedCourseSerializer(many=True)
    hours = HoursSerializer()
    placement_retake = RetakeSerializer(allow_null=True)
