"""Local partners: coordinators keep the records (list, add, edit, archive), tag a person with the
partner that brought them, and grant a partner contact a read-only login; the contact follows the
emailed link to bind their account. What the contact then sees is evaluation's
(evaluation/views/partner_view.py): aggregate figures only."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from mentorship.web import act, form_errors, message_error
from programs import partners
from programs.access import get_applicant_for, get_program_for
from programs.models import Partner

# --- Forms ---------------------------------------------------------------------------------------


class PartnerForm(forms.ModelForm):
    class Meta:
        model = Partner
        fields = partners.FIELDS
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"notes": "For the coordinators only."}

    def validate_unique(self):
        pass  # the service says it in words (a name already taken)


class ViewerGrantForm(forms.Form):
    email = forms.EmailField(
        label="Contact's email address",
        max_length=254,
        help_text="They get a link that works once, for 14 days: they log in or create an account to "
        "see this partner's figures (never a name).",
    )


class ApplicantPartnerForm(forms.Form):
    partner = forms.ModelChoiceField(
        label="Brought by partner", queryset=Partner.objects.none(), required=False, empty_label="No partner"
    )

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        # Archived partners stay choosable here: a person's tag may name one.
        self.fields["partner"].queryset = Partner.objects.filter(program=program)


# --- Coordinators: the partners -----------------------------------------------------------------


def _list_page(request, program, form=None, status=200):
    context = {
        "program": program,
        "partners": partners.partners_of(program),
        "archived": partners.partners_of(program, archived=True),
        "form": form or PartnerForm(prefix="partner"),
    }
    return render(request, "programs/partners/list.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def partner_list(request, slug):
    """The program's partners with how many people each brought; a POST adds one."""
    program = get_program_for(request.user, slug, manage=True)
    if request.method != "POST":
        return _list_page(request, program)
    form = PartnerForm(request.POST, prefix="partner")
    if form.is_valid():
        try:
            partner = partners.partner_create(program=program, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, f"{partner.name} is added to the program's partners.")
            return redirect("programs:partner", program.slug, partner.pk)
    return _list_page(request, program, form, status=400)


def _loaded(request, slug, pk):
    program = get_program_for(request.user, slug, manage=True)
    return program, partners.get_partner_for(request.user, program, pk)


def _partner_page(request, program, partner, status=200, **bound):
    counts, total = partners.partner_people_counts(partner)
    viewers = list(partners.viewers_of(partner))
    for viewer in viewers:
        viewer.state = partners.viewer_state(viewer)
    context = {
        "program": program,
        "partner": partner,
        "counts": counts,
        "total": total,
        "viewers": viewers,
        "form": PartnerForm(instance=partner, prefix="partner"),
        "grant_form": ViewerGrantForm(initial={"email": partner.contact_email}, prefix="viewer"),
        **bound,
    }
    return render(request, "programs/partners/detail.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def partner_detail(request, slug, pk):
    """A partner's page: its record (a POST saves it), the people it brought (counts by role and
    status), its contacts' read-only logins."""
    program, partner = _loaded(request, slug, pk)
    if request.method != "POST":
        return _partner_page(request, program, partner)
    form = PartnerForm(request.POST, instance=partner, prefix="partner")
    if form.is_valid():
        try:
            partners.partner_update(partner=partner, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, "Saved.")
            return redirect("programs:partner", program.slug, partner.pk)
    partner.refresh_from_db()  # the heading shows the partner as saved
    return _partner_page(request, program, partner, status=400, form=form)


@login_required
@require_POST
def partner_archive(request, slug, pk):
    program, partner = _loaded(request, slug, pk)
    act(
        request,
        lambda: partners.partner_archive(partner=partner, by=request.user),
        done=f"{partner.name} is archived: no longer offered to applicants. Its people keep the tag.",
    )
    return redirect("programs:partner", program.slug, partner.pk)


@login_required
@require_POST
def partner_restore(request, slug, pk):
    program, partner = _loaded(request, slug, pk)
    act(
        request,
        lambda: partners.partner_restore(partner=partner, by=request.user),
        done=f"{partner.name} is restored: applicants can choose it again.",
    )
    return redirect("programs:partner", program.slug, partner.pk)


# --- Coordinators: the contact's read-only login ----------------------------------------------------


@login_required
@require_POST
def viewer_grant(request, slug, pk):
    program, partner = _loaded(request, slug, pk)
    form = ViewerGrantForm(request.POST, prefix="viewer")
    if form.is_valid():
        try:
            viewer, resent = partners.viewer_grant(
                partner=partner, email=form.cleaned_data["email"], by=request.user
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            again = " again: the link sent before no longer works" if resent else ""
            messages.success(request, f"A read-only link is sent to {viewer.email}{again}.")
            return redirect(reverse("programs:partner", args=[program.slug, partner.pk]) + "#viewers")
    return _partner_page(request, program, partner, status=400, grant_form=form)


def _viewer(partner, viewer_id):
    return get_object_or_404(partner.viewers.select_related("partner"), pk=viewer_id)


@login_required
@require_POST
def viewer_resend(request, slug, pk, viewer_id):
    program, partner = _loaded(request, slug, pk)
    viewer = _viewer(partner, viewer_id)
    act(
        request,
        lambda: partners.viewer_resend(viewer=viewer, by=request.user),
        done=f"A new link is sent to {viewer.email}: the one sent before no longer works.",
    )
    return redirect(reverse("programs:partner", args=[program.slug, partner.pk]) + "#viewers")


@login_required
@require_POST
def viewer_revoke(request, slug, pk, viewer_id):
    program, partner = _loaded(request, slug, pk)
    viewer = _viewer(partner, viewer_id)
    act(
        request,
        lambda: partners.viewer_revoke(viewer=viewer, by=request.user),
        done=f"The read-only login of {viewer.email} is revoked.",
    )
    return redirect(reverse("programs:partner", args=[program.slug, partner.pk]) + "#viewers")


# --- Coordinators: a person's partner tag ----------------------------------------------------------


@login_required
@require_POST
def applicant_partner(request, slug, pk):
    """The applicant page's small form: which partner brought this person."""
    program = get_program_for(request.user, slug, manage=True)
    enrollment = get_applicant_for(request.user, program, pk)
    form = ApplicantPartnerForm(request.POST, program=program)
    back = reverse("programs:applicant", args=[program.slug, enrollment.pk])
    if not form.is_valid():
        messages.error(request, "Choose one of the program's partners.")
        return redirect(back)
    partner = form.cleaned_data["partner"]
    act(
        request,
        lambda: partners.enrollment_partner_set(enrollment=enrollment, partner=partner, by=request.user),
        done=f"Brought by: {partner.name if partner else 'no partner'}.",
    )
    return redirect(back)


# --- The partner contact follows their link --------------------------------------------------------


@require_http_methods(["GET", "POST"])
def viewer_accept(request, token):
    """The emailed link: a visitor is asked to log in or create an account and comes back here;
    a signed-in account takes the login with a POST (a GET changes nothing: mail scanners follow
    links)."""
    viewer = partners.get_viewer_by_token(token)
    state = partners.viewer_link_state(viewer, request.user)
    if request.method == "POST" and state == "open":
        try:
            viewer = partners.viewer_accept(token=token, user=request.user)
        except ValidationError as error:
            message_error(request, error)
        else:
            messages.success(request, f"You can now see {viewer.partner.name}'s figures.")
            return redirect("evaluation:partner_report", viewer.partner.pk)
        state = partners.viewer_link_state(viewer, request.user)
    context = {"viewer": viewer, "partner": viewer.partner, "program": viewer.partner.program, "state": state}
    return render(request, "programs/partners/accept.html", context)
