"""The API's JSON parser: DRF's, with a body nested too deeply for Python's json module
answered as bad input (400, in the reader's language) instead of a RecursionError (500)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class BoundedJSONParser(JSONParser):
    """JSONParser, refusing a body nested deeper than Python's json module can read."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(_("JSON-innehållet är för djupt nästlat.")) from None
