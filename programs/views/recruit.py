"""Coordinators recruit: invite people by email, import a CSV of applicants; invitees accept."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.views.decorators.http import require_http_methods, require_POST

from mentorship.steps import profile_gaps_of
from mentorship.web import message_error
from programs import imports, invitations
from programs.access import get_invitation_by_token, get_invitation_for, get_program_for
from programs.models import Role
from programs.partners import partners_offered

# --- Forms ---------------------------------------------------------------------------------------


class InvitationForm(forms.Form):
    email = forms.EmailField(label="Email address", max_length=254)
    role = forms.ChoiceField(label="Invite as", choices=Role.choices)
    note = forms.CharField(
        label="Personal note (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Added to the email, for example why you think they would be a good fit.",
    )

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        offered = partners_offered(program)
        if offered.exists():
            self.fields["partner"] = forms.ModelChoiceField(
                label="Brought by partner (optional)",
                queryset=offered,
                required=False,
                empty_label="No partner",
                help_text="Their application is tagged with it: reports can be sliced by partner.",
            )


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
        help_text="UTF-8 text, at most 2 MB and 1,000 rows.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > imports.MAX_IMPORT_BYTES:
            raise ValidationError("The file is larger than 2 MB: split it into smaller files.")
        self.cleaned_data["text"] = imports.import_decode(data=upload.read())
        return upload


class ImportConfirmForm(forms.Form):
    digest = forms.RegexField(regex=r"^[0-9a-f]{64}$", widget=forms.HiddenInput)


# --- Invitations ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def invite(request, slug):
    program = get_program_for(request.user, slug, manage=True)
    form = InvitationForm(request.POST if request.method == "POST" else None, program=program)
    if form.is_valid():
        try:
            invitation, resent = invitations.invitation_send(
                program=program,
                by=request.user,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                note=form.cleaned_data["note"],
                partner=form.cleaned_data.get("partner"),
            )
        except ValidationError as exc:
            form.add_error("email", exc)
        else:
            role = invitation.get_role_display().lower()
            if resent:
                messages.success(
                    request,
                    f"Invitation re-sent to {invitation.email} (as a {role}): "
                    "the link sent before no longer works.",
                )
            else:
                messages.success(request, f"Invitation sent to {invitation.email} (as a {role}).")
            return redirect("programs:invite", program.slug)
    page = invitations.invitation_page(program=program, number=request.GET.get("page"))
    return render(
        request,
        "programs/invite.html",
        {
            "program": program,
            "form": form,
            "page": page,
            "invitations": page.object_list,
            "states": invitations.InvitationState,
        },
    )


@login_required
@require_POST
def invitation_resend(request, slug, pk):
    program = get_program_for(request.user, slug, manage=True)
    invitation = get_invitation_for(request.user, program, pk)
    try:
        invitation = invitations.invitation_resend(invitation=invitation, by=request.user)
    except ValidationError as exc:
        message_error(request, exc)
    else:
        messages.success(
            request,
            f"Invitation re-sent to {invitation.email}: the link sent before no longer works, "
            f"and the new one works until {date_format(localtime(invitation.expires_at), 'j F Y')}.",
        )
    return redirect("programs:invite", program.slug)


@require_http_methods(["GET", "POST"])
def invitation(request, token):
    """The page an invitation email links to. The token finds it; only the person it was sent to
    (logged in with that address) can go on to apply."""
    invitation = get_invitation_by_token(token)
    program = invitation.program
    state = invitations.invitation_state(invitation=invitation, user=request.user)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if state == invitations.InvitationState.OPEN:
            # The apply view checks it again, records the enrollment and uses the invitation up.
            request.session["invitation_token"] = str(invitation.token)
            return redirect(reverse("programs:apply", args=[program.slug, invitation.role]))
    return render(
        request,
        "programs/invitation.html",
        {
            "invitation": invitation,
            "program": program,
            "state": state,
            "states": invitations.InvitationState,
            "masked_email": invitations.mask_email(invitation.email),
            # Someone new (just signed up) is asked to fill in their profile first: the
            # application and matching read it.
            "profile_gaps": (
                profile_gaps_of(request.user, role=invitation.role)
                if state == invitations.InvitationState.OPEN
                else []
            ),
        },
    )


# --- CSV import ----------------------------------------------------------------------------------

SESSION_PREFIX = "programs:import"


def _session_key(program, digest):
    return f"{SESSION_PREFIX}:{program.pk}:{digest}"


def _stash(request, program, preview, text):
    """Keep the file server-side until the coordinator confirms; only its hash goes to the browser."""
    prefix = f"{SESSION_PREFIX}:{program.pk}:"
    stale = [key for key in request.session.keys() if key.startswith(prefix)]  # noqa: SIM118 (not iterable)
    for key in stale:
        del request.session[key]  # one pending import per program: sessions stay small
    request.session[_session_key(program, preview.digest)] = {"text": text, "plan": preview.fingerprint}


def _render_preview(request, program, preview, **extra):
    return render(
        request,
        "programs/import_preview.html",
        {
            "program": program,
            "preview": preview,
            "confirm_form": ImportConfirmForm(initial={"digest": preview.digest}),
            **extra,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_applicants(request, slug):
    program = get_program_for(request.user, slug, manage=True)
    if request.method == "POST" and "digest" in request.POST:
        return _import_confirm(request, program)
    if request.method == "POST":
        form = ImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            text = form.cleaned_data["text"]
            preview = imports.import_parse(program=program, text=text)
            if preview.errors:
                for error in preview.errors:
                    form.add_error("file", error)
            else:
                if preview.importable:
                    _stash(request, program, preview, text)
                return _render_preview(request, program, preview)
    else:
        form = ImportUploadForm()
    return render(
        request,
        "programs/import.html",
        {"program": program, "form": form, "columns": imports.COLUMNS},
    )


def _import_confirm(request, program):
    form = ImportConfirmForm(request.POST)
    key = _session_key(program, form.cleaned_data["digest"]) if form.is_valid() else None
    stash = request.session.get(key) if key else None
    if stash is None:
        messages.error(
            request, "That import is no longer waiting to be confirmed: please upload the file again."
        )
        return redirect("programs:import", program.slug)
    text = stash["text"]
    try:
        preview = imports.import_confirm(program=program, text=text, by=request.user, expected=stash["plan"])
    except imports.ImportChanged as changed:
        request.session[key] = {"text": text, "plan": changed.preview.fingerprint}
        messages.warning(
            request,
            "Some rows changed since the preview (someone applied meanwhile), so nothing "
            "was imported yet. Check the preview below again.",
        )
        return _render_preview(request, program, changed.preview)
    except imports.ImportRefused as exc:
        del request.session[key]
        message_error(request, exc, prefix="Nothing was imported: ")
        return redirect("programs:import", program.slug)
    except (ValidationError, IntegrityError):
        # Someone applied or signed up with one of the addresses between the check and the write
        # (or the database refused a row): the transaction is rolled back as a whole.
        messages.error(
            request,
            "Nothing was imported: someone applied or signed up with one of these addresses "
            "meanwhile. Check the preview again.",
        )
        preview = imports.import_parse(program=program, text=text)
        request.session[key] = {"text": text, "plan": preview.fingerprint}
        return _render_preview(request, program, preview)
    del request.session[key]
    # One sentence for every row: which rows were new people and which were invitations to an
    # existing account is exactly what the importer must not learn.
    imported = len(preview.ok_rows)
    skipped = len(preview.skipped_rows) + len(preview.error_rows)
    messages.success(
        request,
        f"Imported {imported} row{pluralize(imported)}: each person gets an email to set up or accept "
        f"their place; {skipped} skipped"
        + (
            f" ({len(preview.skipped_rows)} already enrolled, {len(preview.error_rows)} with problems)."
            if skipped
            else "."
        ),
    )
    return redirect(reverse("programs:applicants", args=[program.slug]))
