from django.db import transaction

from kansrijk.access import AccessDenied
from kansrijk.cases.models import Case

from .models import Action, Outcome
from .services import audit_log


class AuditDeniedMiddleware:
    """Logs refused access to client data.

    The view's transaction has been rolled back by the time an exception reaches
    middleware, so the denial is written in a transaction of its own; then Django
    answers 404 as usual, telling the visitor nothing about what exists.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, AccessDenied):
            client_id = exception.client_id
            if client_id is None and exception.case_id is not None:
                # So the refusal shows in that client's access report too.
                client_id = Case.objects.filter(pk=exception.case_id).values_list("client_id", flat=True).first()
            with transaction.atomic():
                audit_log(
                    request,
                    action=exception.action or Action.READ,
                    description=exception.description,
                    outcome=Outcome.DENIED,
                    case_id=exception.case_id,
                    client_id=client_id,
                )
        return None
