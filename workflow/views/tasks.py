"""viewflow's task pages (inbox → task): each form posts to the same service as the assignment
page, and the approval task leads to the decision page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import FormView

from assignments import links
from assignments.models import Assignment

from .. import forms, selectors, services


@method_decorator(login_required, name="dispatch")
class _TaskFormView(FormView):
    """A viewflow task page: the form posts to the same service the assignment page uses."""

    template_name = "workflow/task.html"

    @property
    def assignment(self) -> Assignment:
        return self.request.activation.process.artifact

    def get_context_data(self, **kwargs):
        return super().get_context_data(assignment=self.assignment, **kwargs)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def form_valid(self, form):
        try:
            self.perform(form.cleaned_data)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
            return self.render_to_response(self.get_context_data(form=form), status=400)
        messages.success(self.request, _("Uppgiften är klar."))
        return HttpResponseRedirect(links.process_url(self.assignment.pk, absolute=False))


class AdoptTaskView(_TaskFormView):
    form_class = forms.OptionalReasonForm

    def perform(self, data):
        services.adopt_assignment(
            assignment=self.assignment, actor=self.request.user, reason=data["reason"]
        )


class SubmitDeliveryTaskView(_TaskFormView):
    form_class = forms.DeliveryForm

    @cached_property
    def return_to_answer(self):
        """After a return (återremiss): what the next version answers, shown above the form,
        which starts from the previous version's summary."""
        return selectors.latest_return(self.assignment)

    def get_context_data(self, **kwargs):
        return super().get_context_data(return_to_answer=self.return_to_answer, **kwargs)

    def get_initial(self):
        answered = self.return_to_answer
        return {"summary": answered.delivery.summary} if answered else {}

    def perform(self, data):
        services.submit_delivery(
            assignment=self.assignment,
            actor=self.request.user,
            summary=data["summary"],
            document=data["document"],
        )


class DecideTaskView(_TaskFormView):
    """Approve (with a decision date) or return (with a comment), as one form."""

    form_class = forms.ApproveForm

    def get(self, request, *args, **kwargs):
        """From the inbox to the decision page: the delivery, the others' answers, the choice."""
        return HttpResponseRedirect(reverse("workflow:decision", args=[self.assignment.pk]))

    def post(self, request, *args, **kwargs):
        if "return" in request.POST:
            form = forms.ReturnForm(request.POST)
            if not form.is_valid():
                return self.render_to_response(self.get_context_data(form=form), status=400)
            return self.form_valid_with(
                form,
                lambda d: services.return_delivery(
                    delivery=services.delivery_awaiting_decision(self.assignment),
                    decided_by=request.user,
                    comment=d["comment"],
                ),
            )
        return super().post(request, *args, **kwargs)

    def form_valid_with(self, form, perform):
        self.perform = perform
        return self.form_valid(form)

    def perform(self, data):
        services.approve_delivery(
            delivery=services.delivery_awaiting_decision(self.assignment),
            decided_by=self.request.user,
            decided_on=data["decided_on"],
            paragraph_reference=data["paragraph_reference"],
        )
