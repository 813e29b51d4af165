"""The workbench runtime, with the LMS's user and i18n services and its grade flow."""

import logging

from workbench.runtime import WorkbenchRuntime

from . import grades
from .services import DevstackI18nService, DevstackUserService

log = logging.getLogger(__name__)


class DevstackRuntime(WorkbenchRuntime):
    """A workbench runtime that serves blocks as the LMS does, for the signed-in user."""

    def service(self, block, service_name):
        """Return the LMS-like ``user`` and per-block ``i18n`` services, else the workbench's."""
        service = super().service(block, service_name)
        if service_name == "user":
            return DevstackUserService()
        if service_name == "i18n":
            return DevstackI18nService(block)
        return service

    def publish(self, block, event_type, event_data):
        """Log every event like the workbench, and pass grades on to the stand-in grades app."""
        super().publish(block, event_type, event_data)
        if event_type == "grade":
            grades.record_block_grade(block, event_data)
