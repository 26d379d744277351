"""The people admin. A registrar manages people (names, e-mail, title, unit, language, active);
privileges (superuser, staff, groups, permissions) and other people's passwords are a
superuser's alone, so the Registrator group cannot raise anyone, herself included. The ways into
an account of someone who decides, commissions or administers (e-mail, user name, employee id)
are a superuser's too (people/identity.py): read-only on the form, refused in a POST. Whoever
may change them does so from a session that recently showed who it is (people/sessions.py):
until then they are read-only too, with a link to confirm."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_post_parameters

from assignments import audit
from assignments.admin_audit import AuditedAdminMixin
from assignments.contacts import is_contact, link_contact
from assignments.models import User
from assignments.permissions import (
    may_change_identity,
    may_change_identity_fields,
    may_manage_person,
    may_set_password,
)
from people import identity, sessions

# Shown to and changed by superusers only. The password field only links to the password
# form, which is theirs too.
SUPERUSER_FIELDS = ("password", "is_superuser", "groups", "user_permissions")
POSITION_FIELDSET = (
    _("Befattning och inställningar"),
    {"fields": ("title", "org_unit", "employee_id", "sso_subject", "language", "wants_digest")},
)
# The ways into an account the change form edits (the password has its own form).
IDENTITY_FORM_FIELDS = ("username", "email", "employee_id", "sso_subject")
REASON_FIELDSET = (_("Ändringen"), {"fields": ("change_reason",)})


def _without(fieldsets, names) -> tuple:
    return tuple(
        (title, {**options, "fields": tuple(f for f in options["fields"] if f not in names)})
        for title, options in fieldsets
    )


class PersonCreationForm(forms.ModelForm):
    """A person registered by a registrar has no password: they choose their own through
    "Glömt lösenordet?", so nobody else ever knows it."""

    class Meta:
        model = User
        fields = ("username", "first_name", "last_name", "email", "employee_id")

    def save(self, commit=True):
        person = super().save(commit=False)
        person.set_unusable_password()
        if commit:
            person.save()
            self.save_m2m()
        return person


class PersonChangeForm(UserChangeForm):
    """Django's change form, and why an account's way in changes (kept in the audit trail)."""

    change_reason = forms.CharField(
        label=_("Motivering"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Sparas i granskningsloggen. Krävs när e-postadress, användarnamn eller "
            "anställnings-id ändras."
        ),
    )

    def clean(self):
        cleaned = super().clean()
        changed = set(self.changed_data) & set(IDENTITY_FORM_FIELDS)
        if changed and not (cleaned.get("change_reason") or "").strip():
            self.add_error(
                "change_reason",
                _("Ange varför e-postadress, användarnamn eller anställnings-id ändras."),
            )
        return cleaned


def _refused(request, message: str):
    """A refusal on the admin's page, with its reason: 403, nothing saved."""
    return TemplateResponse(
        request,
        "admin/assignments/user/refused.html",
        {"title": _("Inte tillåtet"), "message": message},
        status=403,
    )


@admin.register(User)
class UserAdmin(AuditedAdminMixin, BaseUserAdmin):
    form = PersonChangeForm
    list_display = ("username", "first_name", "last_name", "title", "org_unit", "is_active")
    search_fields = ("username", "first_name", "last_name", "email", "title", "employee_id")
    autocomplete_fields = ("org_unit",)
    readonly_fields = ("last_login", "date_joined")
    fieldsets = (*BaseUserAdmin.fieldsets, POSITION_FIELDSET)

    actions = ["link_contact_to_account"]

    @admin.action(description=_("Koppla kontakt till konto"), permissions=["change"])
    def link_contact_to_account(self, request, queryset):
        """Select the contact (a person without login) and the account of the same person:
        the contact's places in the record move to the account (contacts.link_contact)."""
        people = list(queryset[:3])
        contacts = [p for p in people if is_contact(p)]
        accounts = [p for p in people if not is_contact(p)]
        if len(people) != 2 or len(contacts) != 1 or len(accounts) != 1:
            self.message_user(
                request,
                _("Välj exakt två personer: kontakten och kontot den ska kopplas till."),
                level=messages.ERROR,
            )
            return
        try:
            moved = link_contact(contact=contacts[0], account=accounts[0], actor=request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), level=messages.ERROR)
            return
        self.message_user(
            request,
            _("%(contact)s är kopplad till %(account)s (%(count)d ställen i registret).")
            % {"contact": contacts[0], "account": accounts[0], "count": moved},
        )

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            if request.user.is_superuser:
                return super().get_fieldsets(request, obj)
            return ((None, {"classes": ("wide",), "fields": PersonCreationForm.Meta.fields}),)
        if request.user.is_superuser:
            return (*super().get_fieldsets(request, obj), REASON_FIELDSET)
        return (*_without(self.fieldsets, SUPERUSER_FIELDS), REASON_FIELDSET)

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if request.user.is_superuser:
            return readonly
        readonly = (*readonly, "is_staff")
        if obj is not None and not may_change_identity(request.user, obj):
            readonly = (*readonly, *IDENTITY_FORM_FIELDS)
        return readonly

    def get_form(self, request, obj=None, **kwargs):
        if obj is None and not request.user.is_superuser:
            kwargs["form"] = PersonCreationForm
        form = super().get_form(request, obj, **kwargs)
        if obj is not None and not sessions.is_recent(request):
            # the ways in wait for a session that recently showed who it is
            for name in IDENTITY_FORM_FIELDS:
                if name in form.base_fields:
                    form.base_fields[name].disabled = True
        return form

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and may_manage_person(request.user, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """A POST that carries a way into the account its sender may not change (the form
        shows them read-only, so no browser sends them) is refused whole, not half saved."""
        person = self.get_object(request, unquote(object_id))
        if request.method == "POST" and person is not None:
            if self._forged_identity(request, person):
                return _refused(request, identity.refusal(person))
            if self._posted_identity(request, person) and not sessions.is_recent(request):
                return HttpResponseRedirect(sessions.confirm_url(request.get_full_path()))
        elif (
            person is not None
            and may_change_identity(request.user, person)
            and not sessions.is_recent(request)
        ):
            messages.info(
                request,
                format_html(
                    '{} <a href="{}">{}</a>',
                    _(
                        "E-postadress, användarnamn och anställnings-id ändras först när du har "
                        "bekräftat att det är du."
                    ),
                    sessions.confirm_url(request.get_full_path()),
                    _("Bekräfta"),
                ),
            )
        return super().change_view(request, object_id, form_url, extra_context)

    @staticmethod
    def _posted_identity(request, person) -> list[str]:
        """The ways in (e-mail, user name, employee id) a POST changes."""
        return [
            name
            for name in IDENTITY_FORM_FIELDS
            if name in request.POST and request.POST[name].strip() != (getattr(person, name) or "")
        ]

    @staticmethod
    def _forged_identity(request, person) -> list[str]:
        posted = {
            name: request.POST[name].strip()
            for name in identity.IDENTITY_FIELDS
            if name in request.POST
        }
        changed = [name for name, value in posted.items() if value != getattr(person, name)]
        return [] if may_change_identity_fields(request.user, person, changed) else changed

    def save_model(self, request, obj, form, change):
        """The save asks the identity rule once more (on whatever way the values came in), and
        a new e-mail address is audited with its reason and told to the old one."""
        if not change:
            return super().save_model(request, obj, form, change)
        changes = identity.check_identity_change(person=obj, actor=request.user)
        super().save_model(request, obj, form, change)
        identity.record_identity_change(
            person=obj,
            actor=request.user,
            changes=changes,
            reason=(form.cleaned_data.get("change_reason") or "").strip(),
        )

    @method_decorator(sensitive_post_parameters())
    def user_change_password(self, request, id, form_url=""):
        person = self.get_object(request, unquote(id))
        if person is not None and not may_set_password(request.user, person):
            return _refused(request, _("Bara en administratör kan byta någon annans lösenord."))
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if person is not None and request.method == "POST":
                stored = User.objects.filter(pk=person.pk).values_list("password", flat=True)
                if stored.get() != person.password:
                    # That it changed and by whom; the hash itself is never recorded.
                    audit.record(actor=request.user, action="admin.password_changed", obj=person)
        return response
