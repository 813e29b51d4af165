"""Bookkeeping of ingestion: events already applied, and events or follow-ups that failed."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProcessedEvent(models.Model):
    """The identity of an event already applied, so that a repeated delivery changes nothing.

    ``key`` is the openedx-events metadata id (a UUID) for signals, and a SHA-256 of the
    event's identifying fields for tracking-log lines, which carry no id of their own.
    """

    key = models.CharField(max_length=64, unique=True)
    event_type = models.CharField(max_length=191)
    processed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "raqmya_reports"
        verbose_name = _("processed event")
        verbose_name_plural = _("processed events")


class FailedEvent(models.Model):
    """Work that a receiver could not finish, kept so that ``raqmya_reconcile`` can replay it.

    ``action`` names an entry of ``raqmya_reports.ingestion.replay.ACTIONS`` and ``arguments``
    holds its keyword arguments as JSON (datetimes as ``{"$datetime": ISO 8601}``).
    """

    action = models.CharField(_("action"), max_length=64)
    arguments = models.JSONField(_("arguments"), default=dict)
    event_type = models.CharField(_("event type"), max_length=191, blank=True)
    event_key = models.CharField(_("event id"), max_length=64, blank=True)
    user_id = models.BigIntegerField(_("user id"), null=True, blank=True)
    error = models.TextField(_("error"))
    failed_at = models.DateTimeField(_("failed at"), auto_now_add=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=1)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True, db_index=True)

    class Meta:
        app_label = "raqmya_reports"
        ordering = ["failed_at", "id"]
        verbose_name = _("failed event")
        verbose_name_plural = _("failed events")

    def __str__(self):
        return f"failed {self.action} for user {self.user_id}"
