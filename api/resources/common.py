"""Pieces the resources share in the OpenAPI document."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, inline_serializer
from rest_framework import serializers

from ..pagination import DEFAULT_LIMIT, MAX_LIMIT

NOT_FOUND = inline_serializer("NotFound", {
    "detail": serializers.CharField(help_text="Why nothing was found."),
})


def paging_parameters():
    return [
        OpenApiParameter("cursor", OpenApiTypes.STR, description="Where the page starts: "
                         "the value in the previous page's `next` link (opaque)."),
        OpenApiParameter("limit", OpenApiTypes.INT, description=f"Rows per page, 1 to "
                         f"{MAX_LIMIT} (default {DEFAULT_LIMIT})."),
    ]


def page_serializer(name, item):
    return inline_serializer(name, {
        "next": serializers.URLField(allow_null=True, help_text="The next page, or null on "
                                     "the last one (also sent as a Link header)."),
        "results": item(many=True, help_text="The rows of this page."),
    })
