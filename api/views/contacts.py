"""/api/v1/ routes: contacts, circles, interests and search (docs/architecture.md, "The API").

Thin: each handler validates with a serializer (api/serializers/contacts.py) and calls the same
contacts.services and contacts.selectors the pages call, so recounts, due dates and updated_at
move exactly as they do when the user edits on a page.
"""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, status
from rest_framework.decorators import action
from rest_framework.filters import BaseFilterBackend
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from api.base import (
    IDEMPOTENCY_KEY,
    IF_MATCH,
    PRECONDITION_FAILED,
    ETagMixin,
    OwnedViewSet,
    UpdatedSinceFilter,
    etag_of,
)
from api.idempotency import idempotent
from api.serializers.contacts import (
    CircleSerializer,
    ContactSerializer,
    ContactSummarySerializer,
    InterestMergeSerializer,
    InterestSerializer,
)
from contacts import selectors, services
from contacts.models import Circle, Contact, ContactMethod, ImportantDate, Interest
from network_crm.clock import local_today

ETAG = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=[200, 201],
    description="Send it back as If-Match to change the object only if nobody changed it since.",
)
LOCATION = OpenApiParameter(
    "Location", OpenApiTypes.URI, OpenApiParameter.HEADER, response=[201], description="Its URL."
)
BAD_INPUT = OpenApiResponse(description="A message per field that was refused; nothing changed.")
NOT_FOUND = OpenApiResponse(description="No such object in your network.")
BAD_CURSOR = OpenApiResponse(description="The `cursor` is not one this list gave out.")


def _boolean(request, name: str) -> bool | None:
    value = request.query_params.get(name)
    if value is None:
        return None
    if value.lower() not in {"true", "false", "1", "0"}:
        raise exceptions.ValidationError({name: "Give true or false."})
    return value.lower() in {"true", "1"}


def _id_param(request, name: str) -> int | None:
    value = request.query_params.get(name)
    if value is None:
        return None
    # Another user's id filters to nothing, like one that does not exist: no 404 that leaks.
    if not (value.isascii() and value.isdigit() and len(value) <= 18):
        raise exceptions.ValidationError({name: "Give an integer id."})
    return int(value)


def _detail_response(view, instance, serializer_class, url_name: str) -> Response:
    """201 with the created object, its Location and ETag."""
    data = serializer_class(instance, context=view.get_serializer_context()).data
    location = view.request.build_absolute_uri(reverse(url_name, args=[instance.pk]))
    return Response(
        data, status=status.HTTP_201_CREATED, headers={"Location": location, "ETag": etag_of(data)}
    )


def _detail_schema(serializer, *, noun: str) -> dict:
    return {
        "retrieve": extend_schema(
            summary=f"One {noun}", parameters=[ETAG], responses={200: serializer, 404: NOT_FOUND}
        ),
        "update": extend_schema(
            summary=f"Replace a {noun}",
            parameters=[IF_MATCH, ETAG],
            responses={200: serializer, 400: BAD_INPUT, 404: NOT_FOUND, 412: PRECONDITION_FAILED},
        ),
        "partial_update": extend_schema(
            summary=f"Change some fields of a {noun}",
            parameters=[IF_MATCH, ETAG],
            responses={200: serializer, 400: BAD_INPUT, 404: NOT_FOUND, 412: PRECONDITION_FAILED},
        ),
        "destroy": extend_schema(
            summary=f"Delete a {noun}",
            parameters=[IF_MATCH],
            responses={204: None, 404: NOT_FOUND, 412: PRECONDITION_FAILED},
        ),
        "create": extend_schema(
            summary=f"Add a {noun}",
            parameters=[IDEMPOTENCY_KEY, ETAG, LOCATION],
            responses={201: serializer, 400: BAD_INPUT},
        ),
    }


# --- Contacts ------------------------------------------------------------------------------------


class ContactFilter(BaseFilterBackend):
    """The contact list's filters, as the list page reads them (contacts.selectors)."""

    def filter_queryset(self, request, queryset, view):
        if view.action != "list":
            return queryset
        archived = _boolean(request, "archived")
        if archived is not None:
            queryset = queryset.filter(archived=archived)
        circle = request.query_params.get("circle")
        if circle == "none":
            queryset = queryset.filter(circle__isnull=True)
        elif circle is not None:
            queryset = queryset.filter(circle_id=_id_param(request, "circle"))
        interest = _id_param(request, "interest")
        if interest is not None:
            links = Contact.interests.through.objects.filter(interest_id=interest)
            queryset = queryset.filter(pk__in=links.values("contact_id"))
        due = _boolean(request, "due")
        if due is not None:
            due_now = Contact.objects.filter(owner=request.user).due(local_today(request.user))
            pks = due_now.values("pk")
            queryset = queryset.filter(pk__in=pks) if due else queryset.exclude(pk__in=pks)
        query = request.query_params.get("q", "")[:200]
        return selectors.contacts_matching(queryset, owner=request.user, query=query, max_words=10)

    def get_schema_operation_parameters(self, view):
        def param(name, schema, description):
            return {"name": name, "in": "query", "required": False, "schema": schema,
                    "description": description}  # fmt: skip

        return [
            param(
                "archived", {"type": "boolean"}, "Only archived (true) or active (false) people."
            ),
            param(
                "circle",
                {"type": "string", "pattern": "^([0-9]+|none)$"},
                "A circle's id, or `none` for people in no circle.",
            ),
            param("interest", {"type": "integer"}, "Only people with this interest (its id)."),
            param(
                "due",
                {"type": "boolean"},
                "Only people due for a reach-out today in your time zone (true), or not (false).",
            ),
            param("q", {"type": "string"}, "Words to find, as the app's search does."),
        ]


def _contact_rows(validated: dict) -> dict:
    """The lists of a contact's body as unsaved rows for contacts.services (None: unchanged)."""
    methods = validated.pop("methods", None)
    dates = validated.pop("dates", None)
    return {
        "methods": None if methods is None else [ContactMethod(**m) for m in methods],
        "dates": None if dates is None else [ImportantDate(**d) for d in dates],
        "interest_names": validated.pop("interests", None),
    }


def _contact_save(view, contact: Contact, validated: dict) -> Contact:
    """Save through contacts.services; archiving goes through the same flag service as the
    page's Archive button, so it is recorded as an archive and not as an edit."""
    archived = validated.pop("archived", None)
    rows = _contact_rows(validated)
    for field, value in validated.items():
        setattr(contact, field, value)
    try:
        services.contact_save_with_rows(
            contact=contact, today=local_today(view.request.user), **rows
        )
    except services.InterestLimitReached as error:
        raise exceptions.ValidationError({"interests": [str(error)]}) from None
    if archived is not None and archived != contact.archived:
        services.contacts_set_flags(
            owner=view.request.user, contact_ids=[contact.pk], archived=archived
        )
    return contact


@extend_schema_view(
    list=extend_schema(
        summary="Your people",
        description="Everyone (archived too, unless `archived=false`), by id, a page at a time.",
        responses={200: ContactSerializer(many=True), 400: BAD_INPUT, 404: BAD_CURSOR},
    ),
    **_detail_schema(ContactSerializer, noun="person"),
)
class ContactViewSet(ETagMixin, mixins.ListModelMixin, OwnedViewSet):
    serializer_class = ContactSerializer
    filter_backends = [UpdatedSinceFilter, ContactFilter]

    def owned_queryset(self, owner):
        return (
            Contact.objects.filter(owner=owner)
            .select_related("circle")
            .prefetch_related("methods", "dates", "interests")
        )

    @idempotent
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        contact = _contact_save(self, Contact(owner=request.user), dict(serializer.validated_data))
        contact = self.get_queryset().get(pk=contact.pk)
        return _detail_response(self, contact, ContactSerializer, "api:contact-detail")

    def perform_update(self, serializer):
        _contact_save(self, serializer.instance, dict(serializer.validated_data))

    def perform_destroy(self, instance):
        services.contacts_bulk_delete(owner=self.request.user, contact_ids=[instance.pk])


# --- Search --------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Find people",
        description="The app's search: every word must match a person's details, a way to reach "
        "them or an interest (case and accents ignored). Archived people only with "
        "`archived=true`.",
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, required=True, description="Words to find."),
            OpenApiParameter("archived", OpenApiTypes.BOOL, description="Search the archive."),
        ],
        responses={200: ContactSummarySerializer(many=True), 400: BAD_INPUT, 404: BAD_CURSOR},
    )
)
class SearchViewSet(mixins.ListModelMixin, OwnedViewSet):
    serializer_class = ContactSummarySerializer

    def owned_queryset(self, owner):
        query = self.request.query_params.get("q", "").strip()[:200]
        if not query:
            raise exceptions.ValidationError({"q": "Give words to search for."})
        status_filter = "archived" if _boolean(self.request, "archived") else ""
        filters = selectors.ContactFilters(query=query, status=status_filter)
        return selectors.contacts_search(
            owner=owner, filters=filters, today=local_today(owner)
        ).select_related(None)


# --- Circles -------------------------------------------------------------------------------------


def _people_in_circle():
    people = (
        Contact.objects.filter(circle=OuterRef("pk"), archived=False)
        .order_by()
        .values("circle")
        .annotate(n=Count("pk"))
        .values("n")
    )
    # A subquery, not a join and GROUP BY: writes lock the row (SELECT ... FOR UPDATE).
    return Coalesce(Subquery(people, output_field=IntegerField()), Value(0))


@extend_schema_view(
    list=extend_schema(
        summary="Your circles", responses={200: CircleSerializer(many=True), 404: BAD_CURSOR}
    ),
    **_detail_schema(CircleSerializer, noun="circle"),
)
class CircleViewSet(ETagMixin, mixins.ListModelMixin, OwnedViewSet):
    serializer_class = CircleSerializer

    def owned_queryset(self, owner):
        return Circle.objects.filter(owner=owner).annotate(people_count=_people_in_circle())

    @idempotent
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        circle = services.circle_save(
            circle=Circle(owner=request.user, **serializer.validated_data)
        )
        circle = self.get_queryset().get(pk=circle.pk)
        return _detail_response(self, circle, CircleSerializer, "api:circle-detail")

    def perform_update(self, serializer):
        circle, data = serializer.instance, serializer.validated_data
        services.circle_rename(
            circle=circle,
            name=data.get("name", circle.name),
            cadence_days=data.get("cadence_days", circle.cadence_days),
        )

    def perform_destroy(self, instance):
        services.circle_delete(circle=instance)


# --- Interests -----------------------------------------------------------------------------------


def _people_with_interest():
    links = (
        Contact.interests.through.objects.filter(interest=OuterRef("pk"))
        .order_by()
        .values("interest")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(links, output_field=IntegerField()), Value(0))


@extend_schema_view(
    list=extend_schema(
        summary="Your interests",
        parameters=[OpenApiParameter("mine", OpenApiTypes.BOOL, description="Only your own.")],
        responses={200: InterestSerializer(many=True), 400: BAD_INPUT, 404: BAD_CURSOR},
    ),
    **_detail_schema(InterestSerializer, noun="interest"),
)
class InterestViewSet(ETagMixin, mixins.ListModelMixin, OwnedViewSet):
    serializer_class = InterestSerializer

    def owned_queryset(self, owner):
        interests = Interest.objects.filter(owner=owner)
        mine = _boolean(self.request, "mine") if self.action == "list" else None
        if mine is not None:
            interests = interests.filter(mine=mine)
        return interests.annotate(people_count=_people_with_interest())

    @idempotent
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        name = serializer.validated_data["name"]
        if Interest.objects.filter(
            owner=request.user, folded_name=Interest.fold_name(name)
        ).exists():
            raise exceptions.ValidationError({"name": [f"You already have “{name}”."]})
        try:
            interest = services.interest_get_or_create(owner=request.user, name=name)
        except services.InterestLimitReached as error:
            raise exceptions.ValidationError({"name": [str(error)]}) from None
        if serializer.validated_data.get("mine"):
            services.interest_update(interest=interest, mine=True)
        interest = self.get_queryset().get(pk=interest.pk)
        return _detail_response(self, interest, InterestSerializer, "api:interest-detail")

    def perform_update(self, serializer):
        data = serializer.validated_data
        try:
            services.interest_update(
                interest=serializer.instance, name=data.get("name"), mine=data.get("mine")
            )
        except services.InterestNameTaken as error:
            raise exceptions.ValidationError({"name": [str(error)]}) from None

    def perform_destroy(self, instance):
        services.interest_delete(interest=instance)

    @extend_schema(
        summary="Merge interests into this one",
        description="Everyone who had one of `others` has this interest instead; `others` are "
        "deleted.",
        request=InterestMergeSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={200: InterestSerializer, 400: BAD_INPUT, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def merge(self, request, pk=None):
        keep = self.get_object()
        serializer = InterestMergeSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        services.interests_merge(
            owner=request.user, keep=keep, others=serializer.validated_data["others"]
        )
        return Response(InterestSerializer(self.get_queryset().get(pk=keep.pk)).data)


router = SimpleRouter()
router.register("contacts", ContactViewSet, basename="contact")
router.register("circles", CircleViewSet, basename="circle")
router.register("interests", InterestViewSet, basename="interest")
router.register("search", SearchViewSet, basename="search")

urlpatterns = router.urls
