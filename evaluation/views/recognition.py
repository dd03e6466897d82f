"""Recognition: milestones, certificates of service, volunteer-hours statements and thank-you notes
(evaluation/recognition.py, evaluation/recognition_documents.py).

Who sees what: a certificate answers the mentor themself, the program's coordinators and staff;
the volunteer-hours statement across programs is staff's, a program's its coordinators' and staff's;
thank-you notes are written by a program's coordinators and staff and put away by the person they
thank. Anyone else gets 404.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from django.views.decorators.http import require_http_methods, require_POST

from evaluation import recognition
from evaluation import recognition_documents as documents
from evaluation.access import get_mentor_enrollment_for, get_thank_you_for, get_thank_you_recipient_for
from evaluation.models import ThankYou
from mentorship.forms import DateInput
from programs.access import get_program_for
from programs.models import Program

SHOWN_ROWS = 200  # the page shows this many; the download has them all
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class StatementForm(forms.Form):
    """The statement's period; empty fields take the defaults (this year so far)."""

    start = forms.DateField(label="Period from", required=False, widget=DateInput())
    end = forms.DateField(label="Period to", required=False, widget=DateInput())

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        default_start, default_end = documents.period_default(timezone.localdate())
        data["start"] = data.get("start") or default_start
        data["end"] = data.get("end") or default_end
        if data["start"] > data["end"]:
            self.add_error("start", "The period must start before it ends.")
        return data


class ThankYouForm(forms.Form):
    text = forms.CharField(
        label="Your note",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="They see it on their dashboard until they put it away.",
    )


# --- Certificate ----------------------------------------------------------------------------------


@login_required
def certificate(request, pk):
    enrollment = get_mentor_enrollment_for(request.user, pk)
    facts = documents.certificate_facts(enrollment)
    if not documents.certificate_available(facts):
        context = {"enrollment": enrollment, "own": enrollment.user_id == request.user.pk}
        return render(request, "evaluation/recognition/certificate_pending.html", context)
    content = documents.certificate_pdf(enrollment, facts)
    response = HttpResponse(content, content_type="application/pdf")
    name = f"certificate-of-service-{enrollment.program.slug}.pdf"
    response["Content-Disposition"] = content_disposition_header(False, name)
    return response


# --- Volunteer-hours statements ---------------------------------------------------------------------


@login_required
def volunteer_hours(request):
    if not request.user.is_staff:
        raise Http404("No such page.")
    return _statement(request, programs=Program.objects.all(), program=None)


@login_required
def program_volunteer_hours(request, slug):
    program = get_program_for(request.user, slug, manage=True)
    return _statement(request, programs=Program.objects.filter(pk=program.pk), program=program)


def _statement(request, *, programs, program):
    form = StatementForm(request.GET or {})
    file_format = request.GET.get("format")
    rows, total, minutes = None, 0, 0
    if form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        # Rebound to the dates it resolved to (defaults filled in): the page shows its period.
        form = StatementForm({"start": start.isoformat(), "end": end.isoformat()})
        form.is_valid()
        if file_format in ("csv", "xlsx"):
            rows = documents.statement_rows(programs, start=start, end=end)
            documents.statement_exported(
                by=request.user, program=program, start=start, end=end, file_format=file_format,
                rows=len(rows), request=request,
            )  # fmt: skip
            content = (
                documents.statement_csv(rows) if file_format == "csv" else documents.statement_xlsx(rows)
            )
            response = HttpResponse(content, content_type=CONTENT_TYPES[file_format])
            name = documents.statement_filename(program, end, file_format)
            response["Content-Disposition"] = content_disposition_header(True, name)
            return response
        # The page: its first rows only, the count and the period's hours of them all.
        rows, total, minutes = documents.statement_page(programs, start=start, end=end, limit=SHOWN_ROWS)
    query = {key: value.isoformat() for key, value in form.cleaned_data.items()} if rows is not None else {}
    context = {
        "program": program,
        "form": form,
        "rows": rows,
        "total": total,
        "shown": SHOWN_ROWS,
        "query": urlencode(query),
        "total_hours": round(minutes / 60, 1) if rows else 0,
    }
    status = 400 if form.errors else 200
    return render(request, "evaluation/recognition/volunteer_hours.html", context, status=status)


# --- Thank-you notes -------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def thank_you_new(request, slug, pk):
    program = get_program_for(request.user, slug, manage=True)
    enrollment = get_thank_you_recipient_for(request.user, program, pk)
    form = ThankYouForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        recognition.thank_you_send(
            enrollment=enrollment, by=request.user, text=form.cleaned_data["text"], request=request
        )
        messages.success(request, f"Your thank-you is on {enrollment.user.display_name}'s dashboard.")
        return redirect("programs:applicant", program.slug, enrollment.pk)
    sent = ThankYou.objects.filter(enrollment=enrollment).select_related("sent_by__profile")[:10]
    context = {"program": program, "enrollment": enrollment, "form": form, "sent": sent}
    status = 400 if request.method == "POST" else 200
    return render(request, "evaluation/recognition/thank_you_form.html", context, status=status)


@login_required
@require_POST
def thank_you_dismiss(request, pk):
    note = get_thank_you_for(request.user, pk)
    recognition.thank_you_dismiss(note=note, by=request.user)
    messages.success(request, "The note is put away. Thank you for all you do.")
    return redirect(reverse("dashboard"))


urlpatterns = [
    path("enrollments/<int:pk>/certificate.pdf", certificate, name="certificate"),
    path("staff/volunteer-hours/", volunteer_hours, name="volunteer_hours"),
    path("programs/<slug:slug>/volunteer-hours/", program_volunteer_hours, name="program_volunteer_hours"),
    path("programs/<slug:slug>/applicants/<int:pk>/thank-you/", thank_you_new, name="thank_you_new"),
    path("thank-yous/<int:pk>/dismiss/", thank_you_dismiss, name="thank_you_dismiss"),
]
