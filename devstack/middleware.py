"""Middleware that makes xblock-sdk's workbench key learner state by the signed-in user, as the LMS does."""

from django.http import QueryDict


class WorkbenchStudentMiddleware:
    """Set the workbench's ``student`` query parameter to the signed-in user's username.

    The workbench takes the learner from ``?student=``; the LMS takes it from the
    session. Overriding the parameter for signed-in users means a learner can neither
    read nor write another learner's state in the devstack.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            query = QueryDict(mutable=True)
            query.update(request.GET)
            query["student"] = user.username
            request.GET = query
        return self.get_response(request)
