"""What drf-spectacular cannot see on its own: how a personal API token is sent, and the errors
every operation can answer with (api/errors.py), so that a client, and schemathesis, find each
status code the API uses in the schema."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension

ERROR = "Error"


def error_schema() -> dict:
    return {
        "type": "object",
        "description": _("Ett fel, på svenska (eller engelska med Accept-Language: en)."),
        "properties": {
            "detail": {"type": "string", "description": _("Vad som gick fel, för en människa.")},
            "code": {"type": "string", "description": _("Vad som gick fel, för ett program.")},
            "errors": {
                "type": "object",
                "description": _(
                    "Felaktiga uppgifter: varje fälts meddelanden (non_field_errors: övriga)."
                ),
                "additionalProperties": {"type": "array", "items": {"type": "string"}},
            },
        },
        "required": ["detail", "code"],
    }


def _descriptions() -> dict[str, str]:
    return {
        "400": _("Felaktiga uppgifter, eller en regel i processen sa nej (se detail och errors)."),
        "401": _("Ingen giltig API-nyckel eller inloggning."),
        "403": _(
            "Du får läsa uppdraget men inte göra det här, eller API-nyckeln får bara läsa (code "
            "token_scope), eller en skrivning med inloggning utan CSRF-token."
        ),
        "404": _("Finns inte, eller är inget du får läsa."),
        "415": _("En kropp av en annan medietyp än de beskrivna."),
    }


class PersonalTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.PersonalTokenAuthentication"
    name = "personalToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": _(
                "En personlig API-nyckel, skapad under Inställningar (/installningar/): "
                "`Authorization: Bearer upd_…`. Den gör det du får göra, inom sin behörighet "
                "(läsa, eller läsa och agera), tills den går ut."
            ),
        }


def _error(status: str, descriptions: dict[str, str]) -> dict:
    return {
        "description": descriptions[status],
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ERROR}"}}},
    }


def document_errors(result, generator, request, public):
    """A postprocessing hook: add the error answers each operation can give."""
    result.setdefault("components", {}).setdefault("schemas", {})[ERROR] = error_schema()
    descriptions = _descriptions()
    for path, operations in result.get("paths", {}).items():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            wanted = ["400", "401", "403"]
            if "{" in path or any(p.get("name") == "page" for p in operation.get("parameters", [])):
                wanted.append("404")
            if "requestBody" in operation:
                wanted.append("415")
            for status in wanted:
                responses.setdefault(status, _error(status, descriptions))
    return result
