"""The API's JSON parser: the one JSON reading rule of ``core.http`` (no lone surrogates)."""

from ninja.parser import Parser

from lifeline.core.http import loads_json


class StrictJSONParser(Parser):
    def parse_body(self, request):
        return loads_json(request.body)
